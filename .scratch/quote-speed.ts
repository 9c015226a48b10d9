import { measureInProcess } from '../bench/pricing.measure.js';
const result = measureInProcess({ durationS: 4, warmupS: 2 });
console.log(JSON.stringify({ median: Math.round(result.medianRoundPerSec), best: Math.round(result.bestRoundPerSec), applied: result.appliedPerQuote.toFixed(2) }));
