export { convert, type QuantizedModel } from "@quantkit/ptq";
export { FakeQuantize } from "./FakeQuantize";
export { prepareQat } from "./prepareQat";
export { QatConv2d } from "./QatConv2d";
export { QatLinear } from "./QatLinear";
export { disableFakeQuant, disableObserver, enableFakeQuant, enableObserver } from "./switches";
