import { quantkitTsup } from "../../tsup.config.base";

export default quantkitTsup();
