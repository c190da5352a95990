// float8e4m3fn: known answers, every bit pattern against the exact reference, every rounding tie, and
// random inputs through the fast paths (the checks themselves in _formatSuites.ts).
import { float8e4m3fn } from "../src/index";
import { formatSuites } from "./_formatSuites";
import { REF_E4M3FN } from "./_reference";

formatSuites([[float8e4m3fn, REF_E4M3FN]]);
