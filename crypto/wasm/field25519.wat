;; Field arithmetic modulo p = 2^255 − 19 and the ristretto255 decode and encode of RFC 9496 §4.3.1
;; and §4.3.2 on top of it, for crypto/ristretto-wasm.ts. Spec §G.2.1 (same RFC steps as the BigInt
;; reference, crypto/ristretto-bigint.ts). Built to crypto/wasm/field25519-wasm.ts by
;; `npm run build:wasm`; test/unit/field25519-wasm.test.ts checks that the two never drift.
;;
;; Representation: radix 2^25.5. An element is ten limbs h0…h9 with h = Σ hᵢ·2^⌈25.5·i⌉, so even limbs
;; carry 26 bits and odd limbs 25. Why this radix rather than 2^26 or 9×29 bits: WebAssembly has no
;; 64×64→128 multiply, so a product of two limbs must fit an i64 with room for ten sums; with 25/26-bit
;; limbs a product is below 2^52 and, because 2^255 = 19 (mod p) falls exactly on a limb boundary, the
;; wrap-around costs one multiplication by 19 (38 where two odd limbs meet, whose weights add one bit
;; over the limb they land on). A uniform 2^26 radix would put 2^260 = 608 at the wrap and push the sums
;; past 2^63; 29-bit limbs leave no room for the ×19 in an i64 either.
;;
;; Bounds. Limbs are never negative. A limb is "carried" when hᵢ < 2^26 (even i) or 2^25 (odd i), with
;; slack: h1 < 2^25 + 2^13 and h5 < 2^25 + 2^10 are allowed (what $mul and $sqn leave). For such
;; inputs every product sum in $mul and $sqn is below 125·2^52 < 2^59 (h0, the worst, takes f0·g0,
;; four 19·f·g of 26-bit pairs and five 38·f·g of 25-bit pairs), far from 2^63. Every stored element is
;; carried: $add and $sub carry their result; $sub adds 2p limb by limb before subtracting, so no limb
;; goes negative (each limb of 2p exceeds a carried limb). Only $freeze gives the canonical value < p.
;;
;; Not constant time: decoding and encoding work on public points (ballots, keys, proofs), as the
;; BigInt reference does.
;;
;; Memory (one 64 KiB page, never grown):
;;   0…127    input: decode reads s (32 bytes LE) at 0; encode reads X, Y, Z, T as 32 bytes LE each at 0, 32, 64, 96
;;   128…223  output: decode writes x, y, t (canonical, 32 bytes LE) at 128, 160, 192; encode writes s at 128
;;   256…479  the constants' 32-byte encodings (data segment), unpacked into limbs by $init
;;   512…     field elements, 40 bytes each (ten limbs as u32)
(module
  (memory (export "memory") 1)

  ;; Constants as canonical little-endian bytes; the decimal values are in crypto/ristretto-bigint.ts.
  (data (i32.const 256) "\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00") ;; 0
  (data (i32.const 288) "\01\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00") ;; 1
  (data (i32.const 320) "\ec\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\7f") ;; p − 1 = −1
  (data (i32.const 352) "\a3\78\59\13\ca\4d\eb\75\ab\d8\41\41\4d\0a\70\00\98\e8\79\77\79\40\c7\8c\73\fe\6f\2b\ee\6c\03\52") ;; d = −121665/121666
  (data (i32.const 384) "\b0\a0\0e\4a\27\1b\ee\c4\78\e4\2f\ad\06\18\43\2f\a7\d7\fb\3d\99\00\4d\2b\0b\df\c1\4f\80\24\83\2b") ;; √−1 = 2^((p−1)/4)
  (data (i32.const 416) "\3d\5f\f1\b5\d8\e4\11\3b\87\1b\d0\52\f9\e7\bc\d0\58\28\04\c2\66\ff\b2\d4\f4\20\3e\b0\7f\db\7c\54") ;; −√−1
  (data (i32.const 448) "\ea\40\5d\80\aa\fd\c8\99\be\72\41\5a\17\16\2f\9d\40\d8\01\fe\91\7b\c2\16\a2\fc\af\cf\05\89\6c\78") ;; 1/√(a − d), RFC 9496 §4.1

  ;; The constants as limbs (canonical).
  (global $ZERO i32 (i32.const 512))
  (global $ONE i32 (i32.const 552))
  (global $MINUS_ONE i32 (i32.const 592))
  (global $D i32 (i32.const 632))
  (global $SQRT_M1 i32 (i32.const 672))
  (global $MINUS_SQRT_M1 i32 (i32.const 712))
  (global $INVSQRT_A_MINUS_D i32 (i32.const 752))
  ;; Scratch elements. $FRZ belongs to $freeze's callers ($is_negative, $equals, $store).
  (global $FRZ i32 (i32.const 800))
  ;; $pow_p58
  (global $P0 i32 (i32.const 840))
  (global $P1 i32 (i32.const 880))
  (global $P2 i32 (i32.const 920))
  (global $P3 i32 (i32.const 960))
  (global $P4 i32 (i32.const 1000))
  ;; $sqrt_ratio_m1
  (global $V3 i32 (i32.const 1040))
  (global $V7 i32 (i32.const 1080))
  (global $R i32 (i32.const 1120))
  (global $CHECK i32 (i32.const 1160))
  ;; decode and encode
  (global $S i32 (i32.const 1200))
  (global $U1 i32 (i32.const 1240))
  (global $U2 i32 (i32.const 1280))
  (global $U2SQ i32 (i32.const 1320))
  (global $V i32 (i32.const 1360))
  (global $TMP i32 (i32.const 1400))
  (global $TMP2 i32 (i32.const 1440))
  (global $INV i32 (i32.const 1480))
  (global $DEN1 i32 (i32.const 1520))
  (global $DEN2 i32 (i32.const 1560))
  (global $X i32 (i32.const 1600))
  (global $Y i32 (i32.const 1640))
  (global $Z i32 (i32.const 1680))
  (global $T i32 (i32.const 1720))
  (global $ZINV i32 (i32.const 1760))
  (global $DENINV i32 (i32.const 1800))
  ;; 1840…2047 free; the tests' field operations use 2048 onwards.

  (start $init)
  (func $init
    (call $load (global.get $ZERO) (i32.const 256))
    (call $load (global.get $ONE) (i32.const 288))
    (call $load (global.get $MINUS_ONE) (i32.const 320))
    (call $load (global.get $D) (i32.const 352))
    (call $load (global.get $SQRT_M1) (i32.const 384))
    (call $load (global.get $MINUS_SQRT_M1) (i32.const 416))
    (call $load (global.get $INVSQRT_A_MINUS_D) (i32.const 448)))

  ;; o = the 256-bit little-endian integer at byte address p, reduced to carried limbs: bits 0…254
  ;; split into limbs, bit 255 folded back as 19 (2^255 = 19 mod p). Any 256-bit input is allowed.
  (func $load (export "fe_load") (param $o i32) (param $p i32)
    (local $w0 i64) (local $w1 i64) (local $w2 i64) (local $w3 i64)
    (local.set $w0 (i64.load offset=0 (local.get $p)))
    (local.set $w1 (i64.load offset=8 (local.get $p)))
    (local.set $w2 (i64.load offset=16 (local.get $p)))
    (local.set $w3 (i64.load offset=24 (local.get $p)))
    ;; limb weights 0, 26, 51, 77, 102 | 128, 153, 179, 204, 230: limbs 2 and 7 straddle two words
    (i64.store32 offset=0 (local.get $o)
      (i64.add (i64.and (local.get $w0) (i64.const 0x3ffffff))
               (i64.mul (i64.shr_u (local.get $w3) (i64.const 63)) (i64.const 19))))
    (i64.store32 offset=4 (local.get $o) (i64.and (i64.shr_u (local.get $w0) (i64.const 26)) (i64.const 0x1ffffff)))
    (i64.store32 offset=8 (local.get $o)
      (i64.and (i64.or (i64.shr_u (local.get $w0) (i64.const 51)) (i64.shl (local.get $w1) (i64.const 13))) (i64.const 0x3ffffff)))
    (i64.store32 offset=12 (local.get $o) (i64.and (i64.shr_u (local.get $w1) (i64.const 13)) (i64.const 0x1ffffff)))
    (i64.store32 offset=16 (local.get $o) (i64.and (i64.shr_u (local.get $w1) (i64.const 38)) (i64.const 0x3ffffff)))
    (i64.store32 offset=20 (local.get $o) (i64.and (local.get $w2) (i64.const 0x1ffffff)))
    (i64.store32 offset=24 (local.get $o) (i64.and (i64.shr_u (local.get $w2) (i64.const 25)) (i64.const 0x3ffffff)))
    (i64.store32 offset=28 (local.get $o)
      (i64.and (i64.or (i64.shr_u (local.get $w2) (i64.const 51)) (i64.shl (local.get $w3) (i64.const 13))) (i64.const 0x1ffffff)))
    (i64.store32 offset=32 (local.get $o) (i64.and (i64.shr_u (local.get $w3) (i64.const 12)) (i64.const 0x3ffffff)))
    (i64.store32 offset=36 (local.get $o) (i64.and (i64.shr_u (local.get $w3) (i64.const 38)) (i64.const 0x1ffffff))))

  ;; The 32 canonical little-endian bytes of a, at byte address p.
  (func $store (export "fe_store") (param $p i32) (param $a i32)
    (local $f i32)
    (local.set $f (global.get $FRZ))
    (call $freeze (local.get $f) (local.get $a))
    (i64.store offset=0 (local.get $p)
      (i64.or (i64.or (i64.load32_u offset=0 (local.get $f))
                      (i64.shl (i64.load32_u offset=4 (local.get $f)) (i64.const 26)))
              (i64.shl (i64.load32_u offset=8 (local.get $f)) (i64.const 51))))
    (i64.store offset=8 (local.get $p)
      (i64.or (i64.or (i64.shr_u (i64.load32_u offset=8 (local.get $f)) (i64.const 13))
                      (i64.shl (i64.load32_u offset=12 (local.get $f)) (i64.const 13)))
              (i64.shl (i64.load32_u offset=16 (local.get $f)) (i64.const 38))))
    (i64.store offset=16 (local.get $p)
      (i64.or (i64.or (i64.load32_u offset=20 (local.get $f))
                      (i64.shl (i64.load32_u offset=24 (local.get $f)) (i64.const 25)))
              (i64.shl (i64.load32_u offset=28 (local.get $f)) (i64.const 51))))
    (i64.store offset=24 (local.get $p)
      (i64.or (i64.or (i64.shr_u (i64.load32_u offset=28 (local.get $f)) (i64.const 13))
                      (i64.shl (i64.load32_u offset=32 (local.get $f)) (i64.const 12)))
              (i64.shl (i64.load32_u offset=36 (local.get $f)) (i64.const 38)))))

  ;; Carries the limbs at p in place (each limb below 2^32 on entry), in order h0 → … → h9 → 19·h0 → h1.
  (func $carry (param $p i32)
    (local $h0 i64) (local $h1 i64) (local $h2 i64) (local $h3 i64) (local $h4 i64)
    (local $h5 i64) (local $h6 i64) (local $h7 i64) (local $h8 i64) (local $h9 i64)
    (local.set $h0 (i64.load32_u offset=0 (local.get $p)))
    (local.set $h1 (i64.load32_u offset=4 (local.get $p)))
    (local.set $h2 (i64.load32_u offset=8 (local.get $p)))
    (local.set $h3 (i64.load32_u offset=12 (local.get $p)))
    (local.set $h4 (i64.load32_u offset=16 (local.get $p)))
    (local.set $h5 (i64.load32_u offset=20 (local.get $p)))
    (local.set $h6 (i64.load32_u offset=24 (local.get $p)))
    (local.set $h7 (i64.load32_u offset=28 (local.get $p)))
    (local.set $h8 (i64.load32_u offset=32 (local.get $p)))
    (local.set $h9 (i64.load32_u offset=36 (local.get $p)))
    (local.set $h1 (i64.add (local.get $h1) (i64.shr_u (local.get $h0) (i64.const 26))))
    (local.set $h0 (i64.and (local.get $h0) (i64.const 0x3ffffff)))
    (local.set $h2 (i64.add (local.get $h2) (i64.shr_u (local.get $h1) (i64.const 25))))
    (local.set $h1 (i64.and (local.get $h1) (i64.const 0x1ffffff)))
    (local.set $h3 (i64.add (local.get $h3) (i64.shr_u (local.get $h2) (i64.const 26))))
    (local.set $h2 (i64.and (local.get $h2) (i64.const 0x3ffffff)))
    (local.set $h4 (i64.add (local.get $h4) (i64.shr_u (local.get $h3) (i64.const 25))))
    (local.set $h3 (i64.and (local.get $h3) (i64.const 0x1ffffff)))
    (local.set $h5 (i64.add (local.get $h5) (i64.shr_u (local.get $h4) (i64.const 26))))
    (local.set $h4 (i64.and (local.get $h4) (i64.const 0x3ffffff)))
    (local.set $h6 (i64.add (local.get $h6) (i64.shr_u (local.get $h5) (i64.const 25))))
    (local.set $h5 (i64.and (local.get $h5) (i64.const 0x1ffffff)))
    (local.set $h7 (i64.add (local.get $h7) (i64.shr_u (local.get $h6) (i64.const 26))))
    (local.set $h6 (i64.and (local.get $h6) (i64.const 0x3ffffff)))
    (local.set $h8 (i64.add (local.get $h8) (i64.shr_u (local.get $h7) (i64.const 25))))
    (local.set $h7 (i64.and (local.get $h7) (i64.const 0x1ffffff)))
    (local.set $h9 (i64.add (local.get $h9) (i64.shr_u (local.get $h8) (i64.const 26))))
    (local.set $h8 (i64.and (local.get $h8) (i64.const 0x3ffffff)))
    (local.set $h0 (i64.add (local.get $h0) (i64.mul (i64.shr_u (local.get $h9) (i64.const 25)) (i64.const 19))))
    (local.set $h9 (i64.and (local.get $h9) (i64.const 0x1ffffff)))
    (local.set $h1 (i64.add (local.get $h1) (i64.shr_u (local.get $h0) (i64.const 26))))
    (local.set $h0 (i64.and (local.get $h0) (i64.const 0x3ffffff)))
    (i64.store32 offset=0 (local.get $p) (local.get $h0))
    (i64.store32 offset=4 (local.get $p) (local.get $h1))
    (i64.store32 offset=8 (local.get $p) (local.get $h2))
    (i64.store32 offset=12 (local.get $p) (local.get $h3))
    (i64.store32 offset=16 (local.get $p) (local.get $h4))
    (i64.store32 offset=20 (local.get $p) (local.get $h5))
    (i64.store32 offset=24 (local.get $p) (local.get $h6))
    (i64.store32 offset=28 (local.get $p) (local.get $h7))
    (i64.store32 offset=32 (local.get $p) (local.get $h8))
    (i64.store32 offset=36 (local.get $p) (local.get $h9)))

  ;; o = a + b (carried). o may be a or b.
  (func $add (export "fe_add") (param $o i32) (param $a i32) (param $b i32)
    (local $i i32)
    (loop $limb
      (i32.store (i32.add (local.get $o) (local.get $i))
        (i32.add (i32.load (i32.add (local.get $a) (local.get $i))) (i32.load (i32.add (local.get $b) (local.get $i)))))
      (br_if $limb (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 40))))
    (call $carry (local.get $o)))

  ;; o = a − b (carried), computed as a + 2p − b limb by limb so that no limb goes negative: the limbs
  ;; of 2p are 2^27 − 38, then 2^26 − 2 (odd) and 2^27 − 2 (even), each above any carried limb of b.
  ;; o may be a or b.
  (func $sub (export "fe_sub") (param $o i32) (param $a i32) (param $b i32)
    (local $i i32)
    (loop $limb
      (i32.store (i32.add (local.get $o) (local.get $i))
        (i32.sub
          (i32.add (i32.load (i32.add (local.get $a) (local.get $i)))
            (if (result i32) (i32.eqz (local.get $i))
              (then (i32.const 0x7ffffda))
              (else (if (result i32) (i32.and (local.get $i) (i32.const 4))
                (then (i32.const 0x3fffffe))
                (else (i32.const 0x7fffffe))))))
          (i32.load (i32.add (local.get $b) (local.get $i)))))
      (br_if $limb (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 40))))
    (call $carry (local.get $o)))

  ;; o = −a.
  (func $neg (param $o i32) (param $a i32)
    (call $sub (local.get $o) (global.get $ZERO) (local.get $a)))

  ;; o = a.
  (func $copy (param $o i32) (param $a i32)
    (i64.store offset=0 (local.get $o) (i64.load offset=0 (local.get $a)))
    (i64.store offset=8 (local.get $o) (i64.load offset=8 (local.get $a)))
    (i64.store offset=16 (local.get $o) (i64.load offset=16 (local.get $a)))
    (i64.store offset=24 (local.get $o) (i64.load offset=24 (local.get $a)))
    (i64.store offset=32 (local.get $o) (i64.load offset=32 (local.get $a))))

  ;; o = a · b (carried), for carried a and b. o may be a or b: every limb is read before any is written.
  (func $mul (export "fe_mul") (param $o i32) (param $a i32) (param $b i32)
    (local $f0 i64) (local $f1 i64) (local $f2 i64) (local $f3 i64) (local $f4 i64)
    (local $f5 i64) (local $f6 i64) (local $f7 i64) (local $f8 i64) (local $f9 i64)
    (local $f1_2 i64) (local $f3_2 i64) (local $f5_2 i64) (local $f7_2 i64) (local $f9_2 i64)
    (local $g0 i64) (local $g1 i64) (local $g2 i64) (local $g3 i64) (local $g4 i64)
    (local $g5 i64) (local $g6 i64) (local $g7 i64) (local $g8 i64) (local $g9 i64)
    (local $g1_19 i64) (local $g2_19 i64) (local $g3_19 i64) (local $g4_19 i64) (local $g5_19 i64)
    (local $g6_19 i64) (local $g7_19 i64) (local $g8_19 i64) (local $g9_19 i64)
    (local $h0 i64) (local $h1 i64) (local $h2 i64) (local $h3 i64) (local $h4 i64)
    (local $h5 i64) (local $h6 i64) (local $h7 i64) (local $h8 i64) (local $h9 i64)
    (local.set $f0 (i64.load32_u offset=0 (local.get $a)))
    (local.set $f1 (i64.load32_u offset=4 (local.get $a)))
    (local.set $f2 (i64.load32_u offset=8 (local.get $a)))
    (local.set $f3 (i64.load32_u offset=12 (local.get $a)))
    (local.set $f4 (i64.load32_u offset=16 (local.get $a)))
    (local.set $f5 (i64.load32_u offset=20 (local.get $a)))
    (local.set $f6 (i64.load32_u offset=24 (local.get $a)))
    (local.set $f7 (i64.load32_u offset=28 (local.get $a)))
    (local.set $f8 (i64.load32_u offset=32 (local.get $a)))
    (local.set $f9 (i64.load32_u offset=36 (local.get $a)))
    (local.set $g0 (i64.load32_u offset=0 (local.get $b)))
    (local.set $g1 (i64.load32_u offset=4 (local.get $b)))
    (local.set $g2 (i64.load32_u offset=8 (local.get $b)))
    (local.set $g3 (i64.load32_u offset=12 (local.get $b)))
    (local.set $g4 (i64.load32_u offset=16 (local.get $b)))
    (local.set $g5 (i64.load32_u offset=20 (local.get $b)))
    (local.set $g6 (i64.load32_u offset=24 (local.get $b)))
    (local.set $g7 (i64.load32_u offset=28 (local.get $b)))
    (local.set $g8 (i64.load32_u offset=32 (local.get $b)))
    (local.set $g9 (i64.load32_u offset=36 (local.get $b)))
    ;; Two odd limbs meet one bit above the limb they land on: fᵢ·2 for odd i. Past limb 9 a product
    ;; wraps to limb k − 10 times 2^255 = 19: gⱼ·19.
    (local.set $f1_2 (i64.shl (local.get $f1) (i64.const 1)))
    (local.set $f3_2 (i64.shl (local.get $f3) (i64.const 1)))
    (local.set $f5_2 (i64.shl (local.get $f5) (i64.const 1)))
    (local.set $f7_2 (i64.shl (local.get $f7) (i64.const 1)))
    (local.set $f9_2 (i64.shl (local.get $f9) (i64.const 1)))
    (local.set $g1_19 (i64.mul (local.get $g1) (i64.const 19)))
    (local.set $g2_19 (i64.mul (local.get $g2) (i64.const 19)))
    (local.set $g3_19 (i64.mul (local.get $g3) (i64.const 19)))
    (local.set $g4_19 (i64.mul (local.get $g4) (i64.const 19)))
    (local.set $g5_19 (i64.mul (local.get $g5) (i64.const 19)))
    (local.set $g6_19 (i64.mul (local.get $g6) (i64.const 19)))
    (local.set $g7_19 (i64.mul (local.get $g7) (i64.const 19)))
    (local.set $g8_19 (i64.mul (local.get $g8) (i64.const 19)))
    (local.set $g9_19 (i64.mul (local.get $g9) (i64.const 19)))
    ;; hₖ = Σ over i + j = k (mod 10) of fᵢ·gⱼ with those factors
    ;; h0
    local.get $f0 local.get $g0 i64.mul
    local.get $f1_2 local.get $g9_19 i64.mul i64.add
    local.get $f2 local.get $g8_19 i64.mul i64.add
    local.get $f3_2 local.get $g7_19 i64.mul i64.add
    local.get $f4 local.get $g6_19 i64.mul i64.add
    local.get $f5_2 local.get $g5_19 i64.mul i64.add
    local.get $f6 local.get $g4_19 i64.mul i64.add
    local.get $f7_2 local.get $g3_19 i64.mul i64.add
    local.get $f8 local.get $g2_19 i64.mul i64.add
    local.get $f9_2 local.get $g1_19 i64.mul i64.add
    local.set $h0
    ;; h1
    local.get $f0 local.get $g1 i64.mul
    local.get $f1 local.get $g0 i64.mul i64.add
    local.get $f2 local.get $g9_19 i64.mul i64.add
    local.get $f3 local.get $g8_19 i64.mul i64.add
    local.get $f4 local.get $g7_19 i64.mul i64.add
    local.get $f5 local.get $g6_19 i64.mul i64.add
    local.get $f6 local.get $g5_19 i64.mul i64.add
    local.get $f7 local.get $g4_19 i64.mul i64.add
    local.get $f8 local.get $g3_19 i64.mul i64.add
    local.get $f9 local.get $g2_19 i64.mul i64.add
    local.set $h1
    ;; h2
    local.get $f0 local.get $g2 i64.mul
    local.get $f1_2 local.get $g1 i64.mul i64.add
    local.get $f2 local.get $g0 i64.mul i64.add
    local.get $f3_2 local.get $g9_19 i64.mul i64.add
    local.get $f4 local.get $g8_19 i64.mul i64.add
    local.get $f5_2 local.get $g7_19 i64.mul i64.add
    local.get $f6 local.get $g6_19 i64.mul i64.add
    local.get $f7_2 local.get $g5_19 i64.mul i64.add
    local.get $f8 local.get $g4_19 i64.mul i64.add
    local.get $f9_2 local.get $g3_19 i64.mul i64.add
    local.set $h2
    ;; h3
    local.get $f0 local.get $g3 i64.mul
    local.get $f1 local.get $g2 i64.mul i64.add
    local.get $f2 local.get $g1 i64.mul i64.add
    local.get $f3 local.get $g0 i64.mul i64.add
    local.get $f4 local.get $g9_19 i64.mul i64.add
    local.get $f5 local.get $g8_19 i64.mul i64.add
    local.get $f6 local.get $g7_19 i64.mul i64.add
    local.get $f7 local.get $g6_19 i64.mul i64.add
    local.get $f8 local.get $g5_19 i64.mul i64.add
    local.get $f9 local.get $g4_19 i64.mul i64.add
    local.set $h3
    ;; h4
    local.get $f0 local.get $g4 i64.mul
    local.get $f1_2 local.get $g3 i64.mul i64.add
    local.get $f2 local.get $g2 i64.mul i64.add
    local.get $f3_2 local.get $g1 i64.mul i64.add
    local.get $f4 local.get $g0 i64.mul i64.add
    local.get $f5_2 local.get $g9_19 i64.mul i64.add
    local.get $f6 local.get $g8_19 i64.mul i64.add
    local.get $f7_2 local.get $g7_19 i64.mul i64.add
    local.get $f8 local.get $g6_19 i64.mul i64.add
    local.get $f9_2 local.get $g5_19 i64.mul i64.add
    local.set $h4
    ;; h5
    local.get $f0 local.get $g5 i64.mul
    local.get $f1 local.get $g4 i64.mul i64.add
    local.get $f2 local.get $g3 i64.mul i64.add
    local.get $f3 local.get $g2 i64.mul i64.add
    local.get $f4 local.get $g1 i64.mul i64.add
    local.get $f5 local.get $g0 i64.mul i64.add
    local.get $f6 local.get $g9_19 i64.mul i64.add
    local.get $f7 local.get $g8_19 i64.mul i64.add
    local.get $f8 local.get $g7_19 i64.mul i64.add
    local.get $f9 local.get $g6_19 i64.mul i64.add
    local.set $h5
    ;; h6
    local.get $f0 local.get $g6 i64.mul
    local.get $f1_2 local.get $g5 i64.mul i64.add
    local.get $f2 local.get $g4 i64.mul i64.add
    local.get $f3_2 local.get $g3 i64.mul i64.add
    local.get $f4 local.get $g2 i64.mul i64.add
    local.get $f5_2 local.get $g1 i64.mul i64.add
    local.get $f6 local.get $g0 i64.mul i64.add
    local.get $f7_2 local.get $g9_19 i64.mul i64.add
    local.get $f8 local.get $g8_19 i64.mul i64.add
    local.get $f9_2 local.get $g7_19 i64.mul i64.add
    local.set $h6
    ;; h7
    local.get $f0 local.get $g7 i64.mul
    local.get $f1 local.get $g6 i64.mul i64.add
    local.get $f2 local.get $g5 i64.mul i64.add
    local.get $f3 local.get $g4 i64.mul i64.add
    local.get $f4 local.get $g3 i64.mul i64.add
    local.get $f5 local.get $g2 i64.mul i64.add
    local.get $f6 local.get $g1 i64.mul i64.add
    local.get $f7 local.get $g0 i64.mul i64.add
    local.get $f8 local.get $g9_19 i64.mul i64.add
    local.get $f9 local.get $g8_19 i64.mul i64.add
    local.set $h7
    ;; h8
    local.get $f0 local.get $g8 i64.mul
    local.get $f1_2 local.get $g7 i64.mul i64.add
    local.get $f2 local.get $g6 i64.mul i64.add
    local.get $f3_2 local.get $g5 i64.mul i64.add
    local.get $f4 local.get $g4 i64.mul i64.add
    local.get $f5_2 local.get $g3 i64.mul i64.add
    local.get $f6 local.get $g2 i64.mul i64.add
    local.get $f7_2 local.get $g1 i64.mul i64.add
    local.get $f8 local.get $g0 i64.mul i64.add
    local.get $f9_2 local.get $g9_19 i64.mul i64.add
    local.set $h8
    ;; h9
    local.get $f0 local.get $g9 i64.mul
    local.get $f1 local.get $g8 i64.mul i64.add
    local.get $f2 local.get $g7 i64.mul i64.add
    local.get $f3 local.get $g6 i64.mul i64.add
    local.get $f4 local.get $g5 i64.mul i64.add
    local.get $f5 local.get $g4 i64.mul i64.add
    local.get $f6 local.get $g3 i64.mul i64.add
    local.get $f7 local.get $g2 i64.mul i64.add
    local.get $f8 local.get $g1 i64.mul i64.add
    local.get $f9 local.get $g0 i64.mul i64.add
    local.set $h9
    ;; Carry in two interleaved chains (h0 → h4 and h4 → h9 → 19·h0 → h1): h1 and h5 keep a few
    ;; bits of slack, which the bounds above allow.
    (local.set $h1 (i64.add (local.get $h1) (i64.shr_u (local.get $h0) (i64.const 26))))
    (local.set $h0 (i64.and (local.get $h0) (i64.const 0x3ffffff)))
    (local.set $h5 (i64.add (local.get $h5) (i64.shr_u (local.get $h4) (i64.const 26))))
    (local.set $h4 (i64.and (local.get $h4) (i64.const 0x3ffffff)))
    (local.set $h2 (i64.add (local.get $h2) (i64.shr_u (local.get $h1) (i64.const 25))))
    (local.set $h1 (i64.and (local.get $h1) (i64.const 0x1ffffff)))
    (local.set $h6 (i64.add (local.get $h6) (i64.shr_u (local.get $h5) (i64.const 25))))
    (local.set $h5 (i64.and (local.get $h5) (i64.const 0x1ffffff)))
    (local.set $h3 (i64.add (local.get $h3) (i64.shr_u (local.get $h2) (i64.const 26))))
    (local.set $h2 (i64.and (local.get $h2) (i64.const 0x3ffffff)))
    (local.set $h7 (i64.add (local.get $h7) (i64.shr_u (local.get $h6) (i64.const 26))))
    (local.set $h6 (i64.and (local.get $h6) (i64.const 0x3ffffff)))
    (local.set $h4 (i64.add (local.get $h4) (i64.shr_u (local.get $h3) (i64.const 25))))
    (local.set $h3 (i64.and (local.get $h3) (i64.const 0x1ffffff)))
    (local.set $h8 (i64.add (local.get $h8) (i64.shr_u (local.get $h7) (i64.const 25))))
    (local.set $h7 (i64.and (local.get $h7) (i64.const 0x1ffffff)))
    (local.set $h5 (i64.add (local.get $h5) (i64.shr_u (local.get $h4) (i64.const 26))))
    (local.set $h4 (i64.and (local.get $h4) (i64.const 0x3ffffff)))
    (local.set $h9 (i64.add (local.get $h9) (i64.shr_u (local.get $h8) (i64.const 26))))
    (local.set $h8 (i64.and (local.get $h8) (i64.const 0x3ffffff)))
    (local.set $h0 (i64.add (local.get $h0) (i64.mul (i64.shr_u (local.get $h9) (i64.const 25)) (i64.const 19))))
    (local.set $h9 (i64.and (local.get $h9) (i64.const 0x1ffffff)))
    (local.set $h1 (i64.add (local.get $h1) (i64.shr_u (local.get $h0) (i64.const 26))))
    (local.set $h0 (i64.and (local.get $h0) (i64.const 0x3ffffff)))
    (i64.store32 offset=0 (local.get $o) (local.get $h0))
    (i64.store32 offset=4 (local.get $o) (local.get $h1))
    (i64.store32 offset=8 (local.get $o) (local.get $h2))
    (i64.store32 offset=12 (local.get $o) (local.get $h3))
    (i64.store32 offset=16 (local.get $o) (local.get $h4))
    (i64.store32 offset=20 (local.get $o) (local.get $h5))
    (i64.store32 offset=24 (local.get $o) (local.get $h6))
    (i64.store32 offset=28 (local.get $o) (local.get $h7))
    (i64.store32 offset=32 (local.get $o) (local.get $h8))
    (i64.store32 offset=36 (local.get $o) (local.get $h9)))

  ;; o = a^(2^n) (carried) for carried a and n ≥ 1: n squarings in registers, one load and one store.
  ;; o may be a.
  (func $sqn (export "fe_sqn") (param $o i32) (param $a i32) (param $n i32)
    (local $f0 i64) (local $f1 i64) (local $f2 i64) (local $f3 i64) (local $f4 i64)
    (local $f5 i64) (local $f6 i64) (local $f7 i64) (local $f8 i64) (local $f9 i64)
    (local $f0_2 i64) (local $f1_2 i64) (local $f2_2 i64) (local $f3_2 i64) (local $f4_2 i64)
    (local $f5_2 i64) (local $f6_2 i64) (local $f7_2 i64) (local $f8_2 i64) (local $f9_2 i64)
    (local $f1_4 i64) (local $f3_4 i64) (local $f5_4 i64) (local $f7_4 i64)
    (local $f5_19 i64) (local $f6_19 i64) (local $f7_19 i64) (local $f8_19 i64) (local $f9_19 i64)
    (local $h0 i64) (local $h1 i64) (local $h2 i64) (local $h3 i64) (local $h4 i64)
    (local $h5 i64) (local $h6 i64) (local $h7 i64) (local $h8 i64) (local $h9 i64)
    (local.set $f0 (i64.load32_u offset=0 (local.get $a)))
    (local.set $f1 (i64.load32_u offset=4 (local.get $a)))
    (local.set $f2 (i64.load32_u offset=8 (local.get $a)))
    (local.set $f3 (i64.load32_u offset=12 (local.get $a)))
    (local.set $f4 (i64.load32_u offset=16 (local.get $a)))
    (local.set $f5 (i64.load32_u offset=20 (local.get $a)))
    (local.set $f6 (i64.load32_u offset=24 (local.get $a)))
    (local.set $f7 (i64.load32_u offset=28 (local.get $a)))
    (local.set $f8 (i64.load32_u offset=32 (local.get $a)))
    (local.set $f9 (i64.load32_u offset=36 (local.get $a)))
    (loop $square
      ;; A square has each cross product fᵢ·fⱼ (i < j) twice: fᵢ·2, or fᵢ·4 when both are odd (the
      ;; odd-odd bit as in $mul); past limb 9, fⱼ·19.
      (local.set $f0_2 (i64.shl (local.get $f0) (i64.const 1)))
      (local.set $f1_2 (i64.shl (local.get $f1) (i64.const 1)))
      (local.set $f2_2 (i64.shl (local.get $f2) (i64.const 1)))
      (local.set $f3_2 (i64.shl (local.get $f3) (i64.const 1)))
      (local.set $f4_2 (i64.shl (local.get $f4) (i64.const 1)))
      (local.set $f5_2 (i64.shl (local.get $f5) (i64.const 1)))
      (local.set $f6_2 (i64.shl (local.get $f6) (i64.const 1)))
      (local.set $f7_2 (i64.shl (local.get $f7) (i64.const 1)))
      (local.set $f8_2 (i64.shl (local.get $f8) (i64.const 1)))
      (local.set $f9_2 (i64.shl (local.get $f9) (i64.const 1)))
      (local.set $f1_4 (i64.shl (local.get $f1) (i64.const 2)))
      (local.set $f3_4 (i64.shl (local.get $f3) (i64.const 2)))
      (local.set $f5_4 (i64.shl (local.get $f5) (i64.const 2)))
      (local.set $f7_4 (i64.shl (local.get $f7) (i64.const 2)))
      (local.set $f5_19 (i64.mul (local.get $f5) (i64.const 19)))
      (local.set $f6_19 (i64.mul (local.get $f6) (i64.const 19)))
      (local.set $f7_19 (i64.mul (local.get $f7) (i64.const 19)))
      (local.set $f8_19 (i64.mul (local.get $f8) (i64.const 19)))
      (local.set $f9_19 (i64.mul (local.get $f9) (i64.const 19)))
      ;; h0
      local.get $f0 local.get $f0 i64.mul
      local.get $f1_4 local.get $f9_19 i64.mul i64.add
      local.get $f2_2 local.get $f8_19 i64.mul i64.add
      local.get $f3_4 local.get $f7_19 i64.mul i64.add
      local.get $f4_2 local.get $f6_19 i64.mul i64.add
      local.get $f5_2 local.get $f5_19 i64.mul i64.add
      local.set $h0
      ;; h1
      local.get $f0_2 local.get $f1 i64.mul
      local.get $f2_2 local.get $f9_19 i64.mul i64.add
      local.get $f3_2 local.get $f8_19 i64.mul i64.add
      local.get $f4_2 local.get $f7_19 i64.mul i64.add
      local.get $f5_2 local.get $f6_19 i64.mul i64.add
      local.set $h1
      ;; h2
      local.get $f0_2 local.get $f2 i64.mul
      local.get $f1_2 local.get $f1 i64.mul i64.add
      local.get $f3_4 local.get $f9_19 i64.mul i64.add
      local.get $f4_2 local.get $f8_19 i64.mul i64.add
      local.get $f5_4 local.get $f7_19 i64.mul i64.add
      local.get $f6 local.get $f6_19 i64.mul i64.add
      local.set $h2
      ;; h3
      local.get $f0_2 local.get $f3 i64.mul
      local.get $f1_2 local.get $f2 i64.mul i64.add
      local.get $f4_2 local.get $f9_19 i64.mul i64.add
      local.get $f5_2 local.get $f8_19 i64.mul i64.add
      local.get $f6_2 local.get $f7_19 i64.mul i64.add
      local.set $h3
      ;; h4
      local.get $f0_2 local.get $f4 i64.mul
      local.get $f1_4 local.get $f3 i64.mul i64.add
      local.get $f2 local.get $f2 i64.mul i64.add
      local.get $f5_4 local.get $f9_19 i64.mul i64.add
      local.get $f6_2 local.get $f8_19 i64.mul i64.add
      local.get $f7_2 local.get $f7_19 i64.mul i64.add
      local.set $h4
      ;; h5
      local.get $f0_2 local.get $f5 i64.mul
      local.get $f1_2 local.get $f4 i64.mul i64.add
      local.get $f2_2 local.get $f3 i64.mul i64.add
      local.get $f6_2 local.get $f9_19 i64.mul i64.add
      local.get $f7_2 local.get $f8_19 i64.mul i64.add
      local.set $h5
      ;; h6
      local.get $f0_2 local.get $f6 i64.mul
      local.get $f1_4 local.get $f5 i64.mul i64.add
      local.get $f2_2 local.get $f4 i64.mul i64.add
      local.get $f3_2 local.get $f3 i64.mul i64.add
      local.get $f7_4 local.get $f9_19 i64.mul i64.add
      local.get $f8 local.get $f8_19 i64.mul i64.add
      local.set $h6
      ;; h7
      local.get $f0_2 local.get $f7 i64.mul
      local.get $f1_2 local.get $f6 i64.mul i64.add
      local.get $f2_2 local.get $f5 i64.mul i64.add
      local.get $f3_2 local.get $f4 i64.mul i64.add
      local.get $f8_2 local.get $f9_19 i64.mul i64.add
      local.set $h7
      ;; h8
      local.get $f0_2 local.get $f8 i64.mul
      local.get $f1_4 local.get $f7 i64.mul i64.add
      local.get $f2_2 local.get $f6 i64.mul i64.add
      local.get $f3_4 local.get $f5 i64.mul i64.add
      local.get $f4 local.get $f4 i64.mul i64.add
      local.get $f9_2 local.get $f9_19 i64.mul i64.add
      local.set $h8
      ;; h9
      local.get $f0_2 local.get $f9 i64.mul
      local.get $f1_2 local.get $f8 i64.mul i64.add
      local.get $f2_2 local.get $f7 i64.mul i64.add
      local.get $f3_2 local.get $f6 i64.mul i64.add
      local.get $f4_2 local.get $f5 i64.mul i64.add
      local.set $h9
      ;; Carry in two interleaved chains (h0 → h4 and h4 → h9 → 19·h0 → h1): h1 and h5 keep a few
      ;; bits of slack, which the bounds above allow.
      (local.set $h1 (i64.add (local.get $h1) (i64.shr_u (local.get $h0) (i64.const 26))))
      (local.set $h0 (i64.and (local.get $h0) (i64.const 0x3ffffff)))
      (local.set $h5 (i64.add (local.get $h5) (i64.shr_u (local.get $h4) (i64.const 26))))
      (local.set $h4 (i64.and (local.get $h4) (i64.const 0x3ffffff)))
      (local.set $h2 (i64.add (local.get $h2) (i64.shr_u (local.get $h1) (i64.const 25))))
      (local.set $h1 (i64.and (local.get $h1) (i64.const 0x1ffffff)))
      (local.set $h6 (i64.add (local.get $h6) (i64.shr_u (local.get $h5) (i64.const 25))))
      (local.set $h5 (i64.and (local.get $h5) (i64.const 0x1ffffff)))
      (local.set $h3 (i64.add (local.get $h3) (i64.shr_u (local.get $h2) (i64.const 26))))
      (local.set $h2 (i64.and (local.get $h2) (i64.const 0x3ffffff)))
      (local.set $h7 (i64.add (local.get $h7) (i64.shr_u (local.get $h6) (i64.const 26))))
      (local.set $h6 (i64.and (local.get $h6) (i64.const 0x3ffffff)))
      (local.set $h4 (i64.add (local.get $h4) (i64.shr_u (local.get $h3) (i64.const 25))))
      (local.set $h3 (i64.and (local.get $h3) (i64.const 0x1ffffff)))
      (local.set $h8 (i64.add (local.get $h8) (i64.shr_u (local.get $h7) (i64.const 25))))
      (local.set $h7 (i64.and (local.get $h7) (i64.const 0x1ffffff)))
      (local.set $h5 (i64.add (local.get $h5) (i64.shr_u (local.get $h4) (i64.const 26))))
      (local.set $h4 (i64.and (local.get $h4) (i64.const 0x3ffffff)))
      (local.set $h9 (i64.add (local.get $h9) (i64.shr_u (local.get $h8) (i64.const 26))))
      (local.set $h8 (i64.and (local.get $h8) (i64.const 0x3ffffff)))
      (local.set $h0 (i64.add (local.get $h0) (i64.mul (i64.shr_u (local.get $h9) (i64.const 25)) (i64.const 19))))
      (local.set $h9 (i64.and (local.get $h9) (i64.const 0x1ffffff)))
      (local.set $h1 (i64.add (local.get $h1) (i64.shr_u (local.get $h0) (i64.const 26))))
      (local.set $h0 (i64.and (local.get $h0) (i64.const 0x3ffffff)))
      (local.set $f0 (local.get $h0))
      (local.set $f1 (local.get $h1))
      (local.set $f2 (local.get $h2))
      (local.set $f3 (local.get $h3))
      (local.set $f4 (local.get $h4))
      (local.set $f5 (local.get $h5))
      (local.set $f6 (local.get $h6))
      (local.set $f7 (local.get $h7))
      (local.set $f8 (local.get $h8))
      (local.set $f9 (local.get $h9))
      (br_if $square (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i64.store32 offset=0 (local.get $o) (local.get $f0))
    (i64.store32 offset=4 (local.get $o) (local.get $f1))
    (i64.store32 offset=8 (local.get $o) (local.get $f2))
    (i64.store32 offset=12 (local.get $o) (local.get $f3))
    (i64.store32 offset=16 (local.get $o) (local.get $f4))
    (i64.store32 offset=20 (local.get $o) (local.get $f5))
    (i64.store32 offset=24 (local.get $o) (local.get $f6))
    (i64.store32 offset=28 (local.get $o) (local.get $f7))
    (i64.store32 offset=32 (local.get $o) (local.get $f8))
    (i64.store32 offset=36 (local.get $o) (local.get $f9)))

  ;; o = a².
  (func $sq (param $o i32) (param $a i32)
    (call $sqn (local.get $o) (local.get $a) (i32.const 1)))

  ;; o = the canonical limbs of a (its value in [0, p)), for any limbs below 2^32.
  (func $freeze (param $o i32) (param $a i32)
    (local $h0 i64) (local $h1 i64) (local $h2 i64) (local $h3 i64) (local $h4 i64)
    (local $h5 i64) (local $h6 i64) (local $h7 i64) (local $h8 i64) (local $h9 i64)
    (local $q i64)
    (local.set $h0 (i64.load32_u offset=0 (local.get $a)))
    (local.set $h1 (i64.load32_u offset=4 (local.get $a)))
    (local.set $h2 (i64.load32_u offset=8 (local.get $a)))
    (local.set $h3 (i64.load32_u offset=12 (local.get $a)))
    (local.set $h4 (i64.load32_u offset=16 (local.get $a)))
    (local.set $h5 (i64.load32_u offset=20 (local.get $a)))
    (local.set $h6 (i64.load32_u offset=24 (local.get $a)))
    (local.set $h7 (i64.load32_u offset=28 (local.get $a)))
    (local.set $h8 (i64.load32_u offset=32 (local.get $a)))
    (local.set $h9 (i64.load32_u offset=36 (local.get $a)))
    ;; One carry pass: every limb in range but h1 (< 2^25 + 2^13), so the value is below 2^255 + 2^39 < 2p.
    (local.set $h1 (i64.add (local.get $h1) (i64.shr_u (local.get $h0) (i64.const 26))))
    (local.set $h0 (i64.and (local.get $h0) (i64.const 0x3ffffff)))
    (local.set $h2 (i64.add (local.get $h2) (i64.shr_u (local.get $h1) (i64.const 25))))
    (local.set $h1 (i64.and (local.get $h1) (i64.const 0x1ffffff)))
    (local.set $h3 (i64.add (local.get $h3) (i64.shr_u (local.get $h2) (i64.const 26))))
    (local.set $h2 (i64.and (local.get $h2) (i64.const 0x3ffffff)))
    (local.set $h4 (i64.add (local.get $h4) (i64.shr_u (local.get $h3) (i64.const 25))))
    (local.set $h3 (i64.and (local.get $h3) (i64.const 0x1ffffff)))
    (local.set $h5 (i64.add (local.get $h5) (i64.shr_u (local.get $h4) (i64.const 26))))
    (local.set $h4 (i64.and (local.get $h4) (i64.const 0x3ffffff)))
    (local.set $h6 (i64.add (local.get $h6) (i64.shr_u (local.get $h5) (i64.const 25))))
    (local.set $h5 (i64.and (local.get $h5) (i64.const 0x1ffffff)))
    (local.set $h7 (i64.add (local.get $h7) (i64.shr_u (local.get $h6) (i64.const 26))))
    (local.set $h6 (i64.and (local.get $h6) (i64.const 0x3ffffff)))
    (local.set $h8 (i64.add (local.get $h8) (i64.shr_u (local.get $h7) (i64.const 25))))
    (local.set $h7 (i64.and (local.get $h7) (i64.const 0x1ffffff)))
    (local.set $h9 (i64.add (local.get $h9) (i64.shr_u (local.get $h8) (i64.const 26))))
    (local.set $h8 (i64.and (local.get $h8) (i64.const 0x3ffffff)))
    (local.set $h0 (i64.add (local.get $h0) (i64.mul (i64.shr_u (local.get $h9) (i64.const 25)) (i64.const 19))))
    (local.set $h9 (i64.and (local.get $h9) (i64.const 0x1ffffff)))
    (local.set $h1 (i64.add (local.get $h1) (i64.shr_u (local.get $h0) (i64.const 26))))
    (local.set $h0 (i64.and (local.get $h0) (i64.const 0x3ffffff)))
    ;; q = ⌊(value + 19) / 2^255⌋, exact for any non-negative limbs: 1 when the value is ≥ p, else 0.
    (local.set $q (i64.shr_u (i64.add (local.get $h0) (i64.const 19)) (i64.const 26)))
    (local.set $q (i64.shr_u (i64.add (local.get $h1) (local.get $q)) (i64.const 25)))
    (local.set $q (i64.shr_u (i64.add (local.get $h2) (local.get $q)) (i64.const 26)))
    (local.set $q (i64.shr_u (i64.add (local.get $h3) (local.get $q)) (i64.const 25)))
    (local.set $q (i64.shr_u (i64.add (local.get $h4) (local.get $q)) (i64.const 26)))
    (local.set $q (i64.shr_u (i64.add (local.get $h5) (local.get $q)) (i64.const 25)))
    (local.set $q (i64.shr_u (i64.add (local.get $h6) (local.get $q)) (i64.const 26)))
    (local.set $q (i64.shr_u (i64.add (local.get $h7) (local.get $q)) (i64.const 25)))
    (local.set $q (i64.shr_u (i64.add (local.get $h8) (local.get $q)) (i64.const 26)))
    (local.set $q (i64.shr_u (i64.add (local.get $h9) (local.get $q)) (i64.const 25)))
    ;; value − q·p = value + 19·q − q·2^255: add 19·q, carry up without wrapping, drop bit 255.
    (local.set $h0 (i64.add (local.get $h0) (i64.mul (local.get $q) (i64.const 19))))
    (local.set $h1 (i64.add (local.get $h1) (i64.shr_u (local.get $h0) (i64.const 26))))
    (local.set $h0 (i64.and (local.get $h0) (i64.const 0x3ffffff)))
    (local.set $h2 (i64.add (local.get $h2) (i64.shr_u (local.get $h1) (i64.const 25))))
    (local.set $h1 (i64.and (local.get $h1) (i64.const 0x1ffffff)))
    (local.set $h3 (i64.add (local.get $h3) (i64.shr_u (local.get $h2) (i64.const 26))))
    (local.set $h2 (i64.and (local.get $h2) (i64.const 0x3ffffff)))
    (local.set $h4 (i64.add (local.get $h4) (i64.shr_u (local.get $h3) (i64.const 25))))
    (local.set $h3 (i64.and (local.get $h3) (i64.const 0x1ffffff)))
    (local.set $h5 (i64.add (local.get $h5) (i64.shr_u (local.get $h4) (i64.const 26))))
    (local.set $h4 (i64.and (local.get $h4) (i64.const 0x3ffffff)))
    (local.set $h6 (i64.add (local.get $h6) (i64.shr_u (local.get $h5) (i64.const 25))))
    (local.set $h5 (i64.and (local.get $h5) (i64.const 0x1ffffff)))
    (local.set $h7 (i64.add (local.get $h7) (i64.shr_u (local.get $h6) (i64.const 26))))
    (local.set $h6 (i64.and (local.get $h6) (i64.const 0x3ffffff)))
    (local.set $h8 (i64.add (local.get $h8) (i64.shr_u (local.get $h7) (i64.const 25))))
    (local.set $h7 (i64.and (local.get $h7) (i64.const 0x1ffffff)))
    (local.set $h9 (i64.add (local.get $h9) (i64.shr_u (local.get $h8) (i64.const 26))))
    (local.set $h8 (i64.and (local.get $h8) (i64.const 0x3ffffff)))
    (local.set $h9 (i64.and (local.get $h9) (i64.const 0x1ffffff)))
    (i64.store32 offset=0 (local.get $o) (local.get $h0))
    (i64.store32 offset=4 (local.get $o) (local.get $h1))
    (i64.store32 offset=8 (local.get $o) (local.get $h2))
    (i64.store32 offset=12 (local.get $o) (local.get $h3))
    (i64.store32 offset=16 (local.get $o) (local.get $h4))
    (i64.store32 offset=20 (local.get $o) (local.get $h5))
    (i64.store32 offset=24 (local.get $o) (local.get $h6))
    (i64.store32 offset=28 (local.get $o) (local.get $h7))
    (i64.store32 offset=32 (local.get $o) (local.get $h8))
    (i64.store32 offset=36 (local.get $o) (local.get $h9)))

  ;; 1 when the limbs at a, each in range (as $load leaves a value below 2^255), stand for a value ≥ p.
  (func $at_least_p (param $a i32) (result i32)
    (local $q i64)
    (local.set $q (i64.shr_u (i64.add (i64.load32_u offset=0 (local.get $a)) (i64.const 19)) (i64.const 26)))
    (local.set $q (i64.shr_u (i64.add (i64.load32_u offset=4 (local.get $a)) (local.get $q)) (i64.const 25)))
    (local.set $q (i64.shr_u (i64.add (i64.load32_u offset=8 (local.get $a)) (local.get $q)) (i64.const 26)))
    (local.set $q (i64.shr_u (i64.add (i64.load32_u offset=12 (local.get $a)) (local.get $q)) (i64.const 25)))
    (local.set $q (i64.shr_u (i64.add (i64.load32_u offset=16 (local.get $a)) (local.get $q)) (i64.const 26)))
    (local.set $q (i64.shr_u (i64.add (i64.load32_u offset=20 (local.get $a)) (local.get $q)) (i64.const 25)))
    (local.set $q (i64.shr_u (i64.add (i64.load32_u offset=24 (local.get $a)) (local.get $q)) (i64.const 26)))
    (local.set $q (i64.shr_u (i64.add (i64.load32_u offset=28 (local.get $a)) (local.get $q)) (i64.const 25)))
    (local.set $q (i64.shr_u (i64.add (i64.load32_u offset=32 (local.get $a)) (local.get $q)) (i64.const 26)))
    (local.set $q (i64.shr_u (i64.add (i64.load32_u offset=36 (local.get $a)) (local.get $q)) (i64.const 25)))
    (i32.wrap_i64 (local.get $q)))

  ;; RFC 9496 §4.1 IS_NEGATIVE: the canonical value of a is odd.
  (func $is_negative (param $a i32) (result i32)
    (call $freeze (global.get $FRZ) (local.get $a))
    (i32.and (i32.load (global.get $FRZ)) (i32.const 1)))

  ;; 1 when a equals the constant c (c canonical, as the constants are).
  (func $equals (param $a i32) (param $c i32) (result i32)
    (local $i i32) (local $diff i32)
    (call $freeze (global.get $FRZ) (local.get $a))
    (loop $limb
      (local.set $diff (i32.or (local.get $diff)
        (i32.xor (i32.load (i32.add (global.get $FRZ) (local.get $i))) (i32.load (i32.add (local.get $c) (local.get $i))))))
      (br_if $limb (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 40))))
    (i32.eqz (local.get $diff)))

  ;; RFC 9496 §4.1 CT_ABS: o = |a|, the non-negative one of ±a. o may be a.
  (func $abs (param $o i32) (param $a i32)
    (if (call $is_negative (local.get $a))
      (then (call $neg (local.get $o) (local.get $a)))
      (else (call $copy (local.get $o) (local.get $a)))))

  ;; o = x^((p − 5)/8) = x^(2^252 − 3), by an addition chain through x^(2^k − 1): 251 squarings and
  ;; 11 multiplications (the chain of crypto/ristretto-bigint.ts). o may be x.
  (func $pow_p58 (export "fe_pow_p58") (param $o i32) (param $x i32)
    (call $sq (global.get $P0) (local.get $x))
    (call $mul (global.get $P0) (global.get $P0) (local.get $x))        ;; P0 = x^(2^2 − 1)
    (call $sqn (global.get $P1) (global.get $P0) (i32.const 2))
    (call $mul (global.get $P1) (global.get $P1) (global.get $P0))      ;; P1 = x^(2^4 − 1)
    (call $sq (global.get $P1) (global.get $P1))
    (call $mul (global.get $P1) (global.get $P1) (local.get $x))        ;; P1 = x^(2^5 − 1)
    (call $sqn (global.get $P0) (global.get $P1) (i32.const 5))
    (call $mul (global.get $P0) (global.get $P0) (global.get $P1))      ;; P0 = x^(2^10 − 1)
    (call $sqn (global.get $P1) (global.get $P0) (i32.const 10))
    (call $mul (global.get $P1) (global.get $P1) (global.get $P0))      ;; P1 = x^(2^20 − 1)
    (call $sqn (global.get $P2) (global.get $P1) (i32.const 20))
    (call $mul (global.get $P2) (global.get $P2) (global.get $P1))      ;; P2 = x^(2^40 − 1)
    (call $sqn (global.get $P2) (global.get $P2) (i32.const 10))
    (call $mul (global.get $P2) (global.get $P2) (global.get $P0))      ;; P2 = x^(2^50 − 1)
    (call $sqn (global.get $P3) (global.get $P2) (i32.const 50))
    (call $mul (global.get $P3) (global.get $P3) (global.get $P2))      ;; P3 = x^(2^100 − 1)
    (call $sqn (global.get $P4) (global.get $P3) (i32.const 100))
    (call $mul (global.get $P4) (global.get $P4) (global.get $P3))      ;; P4 = x^(2^200 − 1)
    (call $sqn (global.get $P4) (global.get $P4) (i32.const 50))
    (call $mul (global.get $P4) (global.get $P4) (global.get $P2))      ;; P4 = x^(2^250 − 1)
    (call $sqn (global.get $P4) (global.get $P4) (i32.const 2))
    (call $mul (local.get $o) (global.get $P4) (local.get $x)))         ;; x^(2^252 − 3)

  ;; RFC 9496 §4.2 SQRT_RATIO_M1(1, v): o = |1/√v| (or |√(i/v)|), returns was_square. o must not be v.
  (func $sqrt_ratio_m1 (export "fe_sqrt_ratio_m1") (param $o i32) (param $v i32) (result i32)
    (local $correct i32) (local $flipped i32) (local $flipped_i i32)
    ;; r = (u·v³)·(u·v⁷)^((p−5)/8) with u = 1
    (call $sq (global.get $V3) (local.get $v))
    (call $mul (global.get $V3) (global.get $V3) (local.get $v))
    (call $sq (global.get $V7) (global.get $V3))
    (call $mul (global.get $V7) (global.get $V7) (local.get $v))
    (call $pow_p58 (global.get $R) (global.get $V7))
    (call $mul (global.get $R) (global.get $R) (global.get $V3))
    ;; check = v·r²; compared with u, −u and −u·√−1
    (call $sq (global.get $CHECK) (global.get $R))
    (call $mul (global.get $CHECK) (global.get $CHECK) (local.get $v))
    (local.set $correct (call $equals (global.get $CHECK) (global.get $ONE)))
    (local.set $flipped (call $equals (global.get $CHECK) (global.get $MINUS_ONE)))
    (local.set $flipped_i (call $equals (global.get $CHECK) (global.get $MINUS_SQRT_M1)))
    (if (i32.or (local.get $flipped) (local.get $flipped_i))
      (then (call $mul (global.get $R) (global.get $R) (global.get $SQRT_M1))))
    (call $abs (local.get $o) (global.get $R))
    (i32.or (local.get $correct) (local.get $flipped)))

  ;; RFC 9496 §4.3.1 Decode of the 32 bytes at 0. Returns 1 and writes x, y, t = x·y (canonical, Z = 1)
  ;; at 128, 160, 192; returns 0 when the bytes are not a canonical encoding.
  (func (export "decode") (result i32)
    (local $was_square i32)
    ;; 1. s must be canonical: bit 255 clear and s < p.
    (if (i64.ne (i64.shr_u (i64.load offset=24 (i32.const 0)) (i64.const 63)) (i64.const 0)) (then (return (i32.const 0))))
    (call $load (global.get $S) (i32.const 0))
    (if (call $at_least_p (global.get $S)) (then (return (i32.const 0))))
    ;; 1. and s non-negative (even; canonical limbs, so limb 0's low bit is the value's)
    (if (i32.and (i32.load (global.get $S)) (i32.const 1)) (then (return (i32.const 0))))
    ;; 2. ss = s², u1 = 1 − ss, u2 = 1 + ss, u2_sqr = u2²
    (call $sq (global.get $TMP) (global.get $S))
    (call $sub (global.get $U1) (global.get $ONE) (global.get $TMP))
    (call $add (global.get $U2) (global.get $ONE) (global.get $TMP))
    (call $sq (global.get $U2SQ) (global.get $U2))
    ;; 3. v = −(D·u1²) − u2_sqr
    (call $sq (global.get $TMP) (global.get $U1))
    (call $mul (global.get $TMP) (global.get $TMP) (global.get $D))
    (call $add (global.get $TMP) (global.get $TMP) (global.get $U2SQ))
    (call $neg (global.get $V) (global.get $TMP))
    ;; 4. (was_square, invsqrt) = SQRT_RATIO_M1(1, v·u2_sqr)
    (call $mul (global.get $TMP) (global.get $V) (global.get $U2SQ))
    (local.set $was_square (call $sqrt_ratio_m1 (global.get $INV) (global.get $TMP)))
    ;; 5. den_x = invsqrt·u2, den_y = invsqrt·den_x·v
    (call $mul (global.get $DEN1) (global.get $INV) (global.get $U2))
    (call $mul (global.get $DEN2) (global.get $INV) (global.get $DEN1))
    (call $mul (global.get $DEN2) (global.get $DEN2) (global.get $V))
    ;; 6. x = |2·s·den_x|, y = u1·den_y, t = x·y
    (call $add (global.get $TMP) (global.get $S) (global.get $S))
    (call $mul (global.get $TMP) (global.get $TMP) (global.get $DEN1))
    (call $abs (global.get $X) (global.get $TMP))
    (call $mul (global.get $Y) (global.get $U1) (global.get $DEN2))
    (call $mul (global.get $T) (global.get $X) (global.get $Y))
    ;; 7. refuse if not was_square, or t negative, or y = 0
    (if (i32.eqz (local.get $was_square)) (then (return (i32.const 0))))
    (if (call $is_negative (global.get $T)) (then (return (i32.const 0))))
    (if (call $equals (global.get $Y) (global.get $ZERO)) (then (return (i32.const 0))))
    (call $store (i32.const 128) (global.get $X))
    (call $store (i32.const 160) (global.get $Y))
    (call $store (i32.const 192) (global.get $T))
    (i32.const 1))

  ;; RFC 9496 §4.3.2 Encode of the extended point (X0, Y0, Z0, T0), each a 256-bit little-endian
  ;; integer at 0, 32, 64, 96 (any value below 2^256: they are reduced mod p). Writes s at 128.
  (func (export "encode")
    (call $load (global.get $X) (i32.const 0))
    (call $load (global.get $Y) (i32.const 32))
    (call $load (global.get $Z) (i32.const 64))
    (call $load (global.get $T) (i32.const 96))
    ;; u1 = (Z0 + Y0)·(Z0 − Y0), u2 = X0·Y0
    (call $add (global.get $TMP) (global.get $Z) (global.get $Y))
    (call $sub (global.get $TMP2) (global.get $Z) (global.get $Y))
    (call $mul (global.get $U1) (global.get $TMP) (global.get $TMP2))
    (call $mul (global.get $U2) (global.get $X) (global.get $Y))
    ;; (_, invsqrt) = SQRT_RATIO_M1(1, u1·u2²)
    (call $sq (global.get $TMP) (global.get $U2))
    (call $mul (global.get $TMP) (global.get $TMP) (global.get $U1))
    (drop (call $sqrt_ratio_m1 (global.get $INV) (global.get $TMP)))
    ;; den1 = invsqrt·u1, den2 = invsqrt·u2, z_inv = den1·den2·T0
    (call $mul (global.get $DEN1) (global.get $INV) (global.get $U1))
    (call $mul (global.get $DEN2) (global.get $INV) (global.get $U2))
    (call $mul (global.get $ZINV) (global.get $DEN1) (global.get $DEN2))
    (call $mul (global.get $ZINV) (global.get $ZINV) (global.get $T))
    ;; rotate = IS_NEGATIVE(T0·z_inv): then X = Y0·√−1, Y = X0·√−1, den_inv = den1·INVSQRT_A_MINUS_D;
    ;; else X = X0, Y = Y0, den_inv = den2
    (call $mul (global.get $TMP) (global.get $T) (global.get $ZINV))
    (if (call $is_negative (global.get $TMP))
      (then
        (call $mul (global.get $TMP) (global.get $Y) (global.get $SQRT_M1))
        (call $mul (global.get $Y) (global.get $X) (global.get $SQRT_M1))
        (call $copy (global.get $X) (global.get $TMP))
        (call $mul (global.get $DENINV) (global.get $DEN1) (global.get $INVSQRT_A_MINUS_D)))
      (else (call $copy (global.get $DENINV) (global.get $DEN2))))
    ;; Y = CT_NEG(Y, IS_NEGATIVE(X·z_inv))
    (call $mul (global.get $TMP) (global.get $X) (global.get $ZINV))
    (if (call $is_negative (global.get $TMP)) (then (call $neg (global.get $Y) (global.get $Y))))
    ;; s = |den_inv·(Z0 − Y)|
    (call $sub (global.get $TMP) (global.get $Z) (global.get $Y))
    (call $mul (global.get $TMP) (global.get $DENINV) (global.get $TMP))
    (call $abs (global.get $S) (global.get $TMP))
    (call $store (i32.const 128) (global.get $S)))
)
