// float8e4m3fnuz, float8e5m2fnuz: known answers, every bit pattern against the exact reference, every rounding tie, and
// random inputs through the fast paths (the checks themselves in _formatSuites.ts).
import { float8e4m3fnuz, float8e5m2fnuz } from "../src/index";
import { formatSuites } from "./_formatSuites";
import { REF_E4M3FNUZ, REF_E5M2FNUZ } from "./_reference";

formatSuites([
  [float8e4m3fnuz, REF_E4M3FNUZ],
  [float8e5m2fnuz, REF_E5M2FNUZ],
]);
