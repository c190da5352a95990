/** The kernel backend contract of @quantkit/kernels, re-exported for this package's modules. */
export type {
  Int8Like,
  Kernels,
  MatmulF32Options,
  MatmulIntegerOptions,
  QuantizedConv2dLayer,
  QuantizedLinearLayer,
} from "@quantkit/kernels";
