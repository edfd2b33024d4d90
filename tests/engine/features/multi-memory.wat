;; multi-memory: a store to memory 1 is seen there and not in memory 0
(module
  (memory $a 1)
  (memory $b 1)
  (func (export "run") (result i32)
    (i32.store $b (i32.const 8) (i32.const 7))
    (i32.and (i32.eq (i32.load $b (i32.const 8)) (i32.const 7))
             (i32.eqz (i32.load $a (i32.const 8))))))
