;; pulse GBDT histogram kernels (WebAssembly text; assembled by scripts/build-wasm.mjs into histogram-wasm.ts).
;;
;; The same loop as buildHistogramKernel in learner/leaf-kernels.ts, over arrays that live in one shared linear
;; memory (every argument named *Ptr is a byte address). For each row r = rows[i], i in [begin, end), and each
;; feature f in [featStart, featEnd):
;;   a = hist + 16 * (binOffset[f] + bins[r * numFeatures + f]);  f64[a] += grad[r];  f64[a + 8] += hess[r]
;; Every bin receives its rows in row order, exactly as the JavaScript kernel adds them, so both give bit-identical
;; histograms. The histogram range must be zeroed by the caller. `gradPtr`/`hessPtr` already include the class offset.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; row-major uint8 bin codes
  (func (export "hist8")
    (param $binsPtr i32) (param $numFeatures i32) (param $featStart i32) (param $featEnd i32) (param $binOffsetPtr i32)
    (param $rowsPtr i32) (param $begin i32) (param $end i32) (param $gradPtr i32) (param $hessPtr i32) (param $histPtr i32)
    (local $i i32) (local $r i32) (local $g f64) (local $h f64) (local $codes i32) (local $offsets i32)
    (local $k i32) (local $width i32) (local $a i32)
    (local.set $width (i32.sub (local.get $featEnd) (local.get $featStart)))
    (local.set $offsets (i32.add (local.get $binOffsetPtr) (i32.shl (local.get $featStart) (i32.const 2))))
    (local.set $i (local.get $begin))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $r (i32.load (i32.add (local.get $rowsPtr) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $g (f64.load (i32.add (local.get $gradPtr) (i32.shl (local.get $r) (i32.const 3)))))
        (local.set $h (f64.load (i32.add (local.get $hessPtr) (i32.shl (local.get $r) (i32.const 3)))))
        (local.set $codes (i32.add (local.get $binsPtr)
          (i32.add (i32.mul (local.get $r) (local.get $numFeatures)) (local.get $featStart))))
        (local.set $k (i32.const 0))
        (block $featuresDone
          (loop $featureLoop
            (br_if $featuresDone (i32.ge_u (local.get $k) (local.get $width)))
            (local.set $a (i32.add (local.get $histPtr)
              (i32.shl
                (i32.add
                  (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $k) (i32.const 2))))
                  (i32.load8_u (i32.add (local.get $codes) (local.get $k))))
                (i32.const 4))))
            (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $g)))
            (f64.store offset=8 (local.get $a) (f64.add (f64.load offset=8 (local.get $a)) (local.get $h)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $featureLoop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rowLoop))))

  ;; row-major uint16 bin codes (features with more than 256 bins)
  (func (export "hist16")
    (param $binsPtr i32) (param $numFeatures i32) (param $featStart i32) (param $featEnd i32) (param $binOffsetPtr i32)
    (param $rowsPtr i32) (param $begin i32) (param $end i32) (param $gradPtr i32) (param $hessPtr i32) (param $histPtr i32)
    (local $i i32) (local $r i32) (local $g f64) (local $h f64) (local $codes i32) (local $offsets i32)
    (local $k i32) (local $width i32) (local $a i32)
    (local.set $width (i32.sub (local.get $featEnd) (local.get $featStart)))
    (local.set $offsets (i32.add (local.get $binOffsetPtr) (i32.shl (local.get $featStart) (i32.const 2))))
    (local.set $i (local.get $begin))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $r (i32.load (i32.add (local.get $rowsPtr) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $g (f64.load (i32.add (local.get $gradPtr) (i32.shl (local.get $r) (i32.const 3)))))
        (local.set $h (f64.load (i32.add (local.get $hessPtr) (i32.shl (local.get $r) (i32.const 3)))))
        (local.set $codes (i32.add (local.get $binsPtr)
          (i32.shl (i32.add (i32.mul (local.get $r) (local.get $numFeatures)) (local.get $featStart)) (i32.const 1))))
        (local.set $k (i32.const 0))
        (block $featuresDone
          (loop $featureLoop
            (br_if $featuresDone (i32.ge_u (local.get $k) (local.get $width)))
            (local.set $a (i32.add (local.get $histPtr)
              (i32.shl
                (i32.add
                  (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $k) (i32.const 2))))
                  (i32.load16_u (i32.add (local.get $codes) (i32.shl (local.get $k) (i32.const 1)))))
                (i32.const 4))))
            (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $g)))
            (f64.store offset=8 (local.get $a) (f64.add (f64.load offset=8 (local.get $a)) (local.get $h)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $featureLoop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rowLoop))))
)
