;; pulse GBDT prediction kernel (WebAssembly text; assembled by scripts/build-wasm.mjs into predict-wasm.ts).
;;
;; Raw scores of rows [r0, r1) over a forest whose every split is numerical (kinds 0 and 1 of CompiledForest in
;; predict-kernel.ts), with the same arithmetic as predictRowsKernel there, so both give bit-identical scores.
;;
;; The walk is level-synchronous: for one tree at a time, every row of the block takes one step per pass, and rows
;; that reached a leaf drop out of the active list. The steps of different rows do not depend on each other, so the
;; processor overlaps them, where a row-by-row walk waits on each node's loads and mispredicts its exit. Each row
;; still sums its trees in order 0..numTrees-1.
;;
;; Memory (every *Ptr is a byte address in the shared memory):
;;   nodes   24 bytes per internal node: f64 cut @0 (right when x > cut); i32 @8: the byte offset of the feature
;;           within a row, shifted left by one, or 1 when NaN goes right; i32 left child @12, right child @16; a
;;           child >= 0 is the address of a node record, a child < 0 is the leaf ~child
;;   roots   i32 per tree, as children                        leaves  f64 per leaf
;;   base    f64 per class                                    X       row-major, rowBytes per row, f32 or f64
;;   out     f64 per row and class                            scratch 8 bytes per row of the block
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; One step of every active row; returns how many are still at an internal node (compacted to the front).
  (func $level_f32 (param $xb i32) (param $rowBytes i32) (param $idx i32) (param $active i32)
    (param $na i32) (result i32)
    (local $j i32) (local $w i32) (local $i i32) (local $node i32) (local $packed i32) (local $x f64) (local $next i32)
    (block $done (loop $step
      (br_if $done (i32.ge_u (local.get $j) (local.get $na)))
      (local.set $i (i32.load (i32.add (local.get $active) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $node (i32.load (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $packed (i32.load offset=8 (local.get $node)))
      (local.set $x (f64.promote_f32 (f32.load
        (i32.add (i32.add (local.get $xb) (i32.mul (local.get $i) (local.get $rowBytes))) (i32.shr_u (local.get $packed) (i32.const 1))))))
      (local.set $next (i32.load offset=12 (i32.add (local.get $node) (i32.shl
        (i32.or (f64.gt (local.get $x) (f64.load (local.get $node)))
                (i32.and (local.get $packed) (f64.ne (local.get $x) (local.get $x))))
        (i32.const 2)))))
      (i32.store (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2))) (local.get $next))
      (i32.store (i32.add (local.get $active) (i32.shl (local.get $w) (i32.const 2))) (local.get $i))
      (local.set $w (i32.add (local.get $w) (i32.ge_s (local.get $next) (i32.const 0))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $step)))
    (local.get $w))

  ;; The same step over float64 rows.
  (func $level_f64 (param $xb i32) (param $rowBytes i32) (param $idx i32) (param $active i32)
    (param $na i32) (result i32)
    (local $j i32) (local $w i32) (local $i i32) (local $node i32) (local $packed i32) (local $x f64) (local $next i32)
    (block $done (loop $step
      (br_if $done (i32.ge_u (local.get $j) (local.get $na)))
      (local.set $i (i32.load (i32.add (local.get $active) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $node (i32.load (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $packed (i32.load offset=8 (local.get $node)))
      (local.set $x (f64.load
        (i32.add (i32.add (local.get $xb) (i32.mul (local.get $i) (local.get $rowBytes))) (i32.shr_u (local.get $packed) (i32.const 1)))))
      (local.set $next (i32.load offset=12 (i32.add (local.get $node) (i32.shl
        (i32.or (f64.gt (local.get $x) (f64.load (local.get $node)))
                (i32.and (local.get $packed) (f64.ne (local.get $x) (local.get $x))))
        (i32.const 2)))))
      (i32.store (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2))) (local.get $next))
      (i32.store (i32.add (local.get $active) (i32.shl (local.get $w) (i32.const 2))) (local.get $i))
      (local.set $w (i32.add (local.get $w) (i32.ge_s (local.get $next) (i32.const 0))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $step)))
    (local.get $w))

  ;; out[a] += v, rounded to float32 after the addition in float32 mode (XGBoost's accumulation).
  (func $accumulate (param $a i32) (param $v f64) (param $float32 i32)
    (local $s f64)
    (local.set $s (f64.add (f64.load (local.get $a)) (local.get $v)))
    (if (local.get $float32) (then (local.set $s (f64.promote_f32 (f32.demote_f64 (local.get $s))))))
    (f64.store (local.get $a) (local.get $s)))

  (func (export "predict")
    (param $roots i32) (param $leaves i32) (param $base i32) (param $X i32) (param $rowBytes i32)
    (param $xF64 i32) (param $out i32) (param $numTrees i32) (param $numClass i32) (param $r0 i32) (param $r1 i32)
    (param $scratch i32) (param $float32 i32) (param $divisor f64)
    (local $nb i32) (local $xb i32) (local $ob i32) (local $idx i32) (local $active i32) (local $t i32) (local $c i32)
    (local $root i32) (local $i i32) (local $na i32) (local $a i32) (local $leaf i32)
    (local.set $nb (i32.sub (local.get $r1) (local.get $r0)))
    (local.set $xb (i32.add (local.get $X) (i32.mul (local.get $r0) (local.get $rowBytes))))
    (local.set $ob (i32.add (local.get $out) (i32.shl (i32.mul (local.get $r0) (local.get $numClass)) (i32.const 3))))
    (local.set $idx (local.get $scratch))
    (local.set $active (i32.add (local.get $scratch) (i32.shl (local.get $nb) (i32.const 2))))
    ;; Scores start from the base score in float32 mode, from 0 otherwise (the base is added last).
    (local.set $i (i32.const 0))
    (block $done (loop $init
      (br_if $done (i32.ge_u (local.get $i) (i32.mul (local.get $nb) (local.get $numClass))))
      (local.set $c (i32.rem_u (local.get $i) (local.get $numClass)))
      (f64.store (i32.add (local.get $ob) (i32.shl (local.get $i) (i32.const 3)))
        (select (f64.load (i32.add (local.get $base) (i32.shl (local.get $c) (i32.const 3)))) (f64.const 0) (local.get $float32)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $init)))
    (local.set $c (i32.const 0))
    (block $treesDone (loop $tree
      (br_if $treesDone (i32.ge_u (local.get $t) (local.get $numTrees)))
      (local.set $root (i32.load (i32.add (local.get $roots) (i32.shl (local.get $t) (i32.const 2)))))
      ;; Every row starts at the root (a single-leaf tree: every row is at its leaf already).
      (local.set $i (i32.const 0))
      (block $done (loop $start
        (br_if $done (i32.ge_u (local.get $i) (local.get $nb)))
        (i32.store (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2))) (local.get $root))
        (i32.store (i32.add (local.get $active) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $start)))
      (local.set $na (select (local.get $nb) (i32.const 0) (i32.ge_s (local.get $root) (i32.const 0))))
      (block $walked (loop $level
        (br_if $walked (i32.eqz (local.get $na)))
        (if (local.get $xF64)
          (then (local.set $na (call $level_f64 (local.get $xb) (local.get $rowBytes)
            (local.get $idx) (local.get $active) (local.get $na))))
          (else (local.set $na (call $level_f32 (local.get $xb) (local.get $rowBytes)
            (local.get $idx) (local.get $active) (local.get $na)))))
        (br $level)))
      (local.set $i (i32.const 0))
      (block $done (loop $add
        (br_if $done (i32.ge_u (local.get $i) (local.get $nb)))
        (local.set $leaf (i32.xor (i32.load (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2)))) (i32.const -1)))
        (call $accumulate
          (i32.add (local.get $ob) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $numClass)) (local.get $c)) (i32.const 3)))
          (f64.load (i32.add (local.get $leaves) (i32.shl (local.get $leaf) (i32.const 3))))
          (local.get $float32))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $add)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (if (i32.eq (local.get $c) (local.get $numClass)) (then (local.set $c (i32.const 0))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $tree)))
    ;; float64 mode: average (random forests) and add the base score last.
    (if (i32.eqz (local.get $float32)) (then
      (local.set $i (i32.const 0))
      (block $done (loop $finish
        (br_if $done (i32.ge_u (local.get $i) (i32.mul (local.get $nb) (local.get $numClass))))
        (local.set $a (i32.add (local.get $ob) (i32.shl (local.get $i) (i32.const 3))))
        (if (f64.ne (local.get $divisor) (f64.const 1))
          (then (f64.store (local.get $a) (f64.div (f64.load (local.get $a)) (local.get $divisor)))))
        (f64.store (local.get $a) (f64.add (f64.load (local.get $a))
          (f64.load (i32.add (local.get $base) (i32.shl (i32.rem_u (local.get $i) (local.get $numClass)) (i32.const 3))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $finish))))))
)
