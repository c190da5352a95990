// The repository's committed fixtures (fixtures/ at the root: speech, text lines, the Fashion-MNIST CNN)
// and Debian's Fashion-MNIST, for the acceptance tests of q8 and int8 on real models.
import { fileURLToPath } from "node:url";

/** fixtures/ of the repository (QUANTKIT_FIXTURES overrides it, for a checkout elsewhere). */
export const FIXTURES =
  process.env.QUANTKIT_FIXTURES ?? fileURLToPath(new URL("../../../fixtures/", import.meta.url));
export const FASHION_MNIST = "/usr/share/datasets/fashion-mnist";
