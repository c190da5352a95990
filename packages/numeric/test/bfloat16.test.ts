// bfloat16: known answers, every bit pattern against the exact reference, every rounding tie, and
// random inputs through the fast paths (the checks themselves in _formatSuites.ts).
import { bfloat16 } from "../src/index";
import { formatSuites } from "./_formatSuites";
import { REF_BFLOAT16 } from "./_reference";

formatSuites([[bfloat16, REF_BFLOAT16]]);
