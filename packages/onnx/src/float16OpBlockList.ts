/**
 * Operators that stay float32 in fp16 mode, with Casts around them. From the semantics of
 * onnxconverter-common's and transformers.js's float16 converters, in our own words: the ai.onnx.ml
 * operators (no float16 kernels), RandomNormalLike / RandomUniformLike, operators whose results are
 * indices or coordinates that float16 would change (NonMaxSuppression, TopK, RoiAlign, Resize, Upsample,
 * Range), accumulations (CumSum), Min / Max, the quantization operators (whose scales are float32
 * before opset 19), and signal operators (DFT, STFT, the windows, MelWeightMatrix, TfIdfVectorizer)
 * whose kernels are float32 / float64 only. Cast is not here: a Cast to float32 becomes a Cast to
 * float16 instead.
 */
export const FLOAT16_OP_BLOCK_LIST: readonly string[] = Object.freeze([
  // ai.onnx.ml: no float16 kernels.
  "ArrayFeatureExtractor",
  "Binarizer",
  "CastMap",
  "CategoryMapper",
  "DictVectorizer",
  "FeatureVectorizer",
  "Imputer",
  "LabelEncoder",
  "LinearClassifier",
  "LinearRegressor",
  "Normalizer",
  "OneHotEncoder",
  "SVMClassifier",
  "SVMRegressor",
  "Scaler",
  "TreeEnsembleClassifier",
  "TreeEnsembleRegressor",
  "ZipMap",
  // Random generators shaped like their input.
  "RandomNormalLike",
  "RandomUniformLike",
  // Indices, boxes and coordinates that float16 would change.
  "NonMaxSuppression",
  "TopK",
  "RoiAlign",
  "Resize",
  "Upsample",
  "Range",
  // Accumulation, and Min / Max (blocked by both references).
  "CumSum",
  "Min",
  "Max",
  // Scales are float32 before opset 19.
  "QuantizeLinear",
  "DequantizeLinear",
  "DynamicQuantizeLinear",
  // Signal processing: float / double kernels only; windows and TfIdf make float32 from integers.
  "DFT",
  "STFT",
  "HannWindow",
  "HammingWindow",
  "BlackmanWindow",
  "MelWeightMatrix",
  "TfIdfVectorizer",
]);
