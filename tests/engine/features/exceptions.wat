;; exceptions: thrown with a payload in a callee, through a try-delegate, caught, and
;; rethrown from catch_all; 100,000 times in a loop, so the exceptions are freed as caught
(module
  (tag $e (param i32))
  (func $thrower (param i32) (throw $e (local.get 0)))
  (func $once (param i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (try (do (call $thrower (local.get 0))) (delegate 0)) (i32.const 0))
          (catch_all (rethrow 0))))
      (catch $e)))
  (func (export "run") (result i32)
    (local $i i32) (local $sum i32)
    (loop $l
      (local.set $sum (i32.add (local.get $sum) (call $once (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 100000))))
    ;; 0 + 1 + ... + 99999 = 4999950000, mod 2^32
    (i32.eq (local.get $sum) (i32.const 704982704))))
