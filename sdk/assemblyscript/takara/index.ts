// The AssemblyScript SDK for Takara OS: `import { println, args, connect } from "takara"`.
// The raw imports (generated from include/takara/abi.def as tk_NAME) and the ABI's
// constants come from "takara-abi"; this package adds strings, arrays and objects on top.
export * from "takara-abi";
export * from "./result";
export * from "./console";
export * from "./process";
export * from "./handle";
export * from "./service";
