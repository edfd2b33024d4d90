// Compiled as a second entry file of every module (mk/assemblyscript.mk), so its exports
// are the module's: `takara_abi`, the ABI version the kernel checks before `_start`.
// (`_start` itself is the program's top-level code: asc --exportStart _start.)
import { ABI_VERSION } from "takara-abi";

export function takara_abi(): i32 {
  return ABI_VERSION;
}
