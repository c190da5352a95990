// float8e5m2: known answers, every bit pattern against the exact reference, every rounding tie, and
// random inputs through the fast paths (the checks themselves in _formatSuites.ts).
import { float8e5m2 } from "../src/index";
import { formatSuites } from "./_formatSuites";
import { REF_E5M2 } from "./_reference";

formatSuites([[float8e5m2, REF_E5M2]]);
