// float16: known answers, every bit pattern against the exact reference, every rounding tie, and
// random inputs through the fast paths (the checks themselves in _formatSuites.ts).
import { float16 } from "../src/index";
import { formatSuites } from "./_formatSuites";
import { REF_FLOAT16 } from "./_reference";

formatSuites([[float16, REF_FLOAT16]]);
