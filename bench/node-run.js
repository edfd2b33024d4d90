// Node (V8) harness: node node-run.js FILE.wasm ITERS -> "checksum=C ns=T" of run(ITERS),
// after one warm-up call so TurboFan has compiled the hot code.
const fs = require('fs');
const [file, iters] = [process.argv[2], Number(process.argv[3])];
const mod = new WebAssembly.Module(fs.readFileSync(file));
const inst = new WebAssembly.Instance(mod, {});
inst.exports.run(1);
const t0 = process.hrtime.bigint();
const sum = inst.exports.run(iters) >>> 0;
const t1 = process.hrtime.bigint();
console.log(`checksum=${sum} ns=${t1 - t0}`);
