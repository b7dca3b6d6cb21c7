// metalint-bench: speed of the Reference kernels on the shapes of the research note (§4).
//
//   swift run -c release metalint-bench [--json] [--repeats N] [--only SUBSTRING]
//
// Prints, for 1 and 2 threads, the best-of-N time and GFLOP/s of
//   gemm  (64×2048)·(2048×768)ᵀ-layout weight, packed GEMM (8x32 SIMD16 with AVX-512, else 6x16 SIMD8)
//   gemv  (1×2048)·(2048×768), dot form
//   moe   a whole MoE block: T=64, H=1024, I=512, E=16, top-2, Qwen3 softmax routing (router included)
//   moe_t1 the same block for one token (decode path)
// FLOPs: GEMM 2·T·K·N; MoE T·k·6·H·I + 2·T·H·E.
import Dispatch
import Foundation
import Reference

struct Rng {
  var s: UInt64
  mutating func next() -> Float {
    s = s &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Float(Int64(bitPattern: s >> 11) % 2_000_001 - 1_000_000) / 1_000_000
  }
  mutating func tensor(_ shape: [Int], scale: Float = 1) -> Tensor {
    let n = shape.reduce(1, *)
    return Tensor(shape: shape, data: (0..<n).map { _ in next() * scale })
  }
}

let args = CommandLine.arguments
let json = args.contains("--json")
let repeats = args.firstIndex(of: "--repeats").flatMap { Int(args[$0 + 1]) } ?? 20
let only = args.firstIndex(of: "--only").map { args[$0 + 1] }
/// Whether the case `name` was selected with --only.
func selected(_ name: String) -> Bool { only.map { name.contains($0) } ?? true }

/// Best wall time of `repeats` runs of `body`, in seconds, after one warm-up run.
func best(_ body: () -> Void) -> Double {
  body()
  var b = Double.infinity
  for _ in 0..<repeats {
    let t0 = DispatchTime.now().uptimeNanoseconds
    body()
    b = min(b, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
  }
  return b
}

var results: [[String: Any]] = []
@MainActor func report(_ name: String, _ threads: Int, _ seconds: Double, _ flops: Double) {
  let gflops = flops / seconds / 1e9
  results.append(["name": name, "threads": threads, "ms": seconds * 1e3, "gflops": gflops])
  if !json {
    print(
      String(
        format: "%-28@ threads=%d  %9.3f ms  %7.1f GFLOP/s", name as NSString, threads, seconds * 1e3,
        gflops))
  }
}

var rng = Rng(s: 42)
var sink: Float = 0

// GEMM and GEMV
let w = PackedWeight(rng.tensor([768, 2048], scale: 0.02))
for (t, name) in [(64, "gemm 64x2048x768"), (1, "gemv 1x2048x768")] where selected(name) {
  let x = rng.tensor([t, 2048])
  for threads in [1, 2] {
    let s = best { sink += matmulTransposed(x, w, threads: threads).data[0] }
    report(name, threads, s, 2.0 * Double(t * 2048 * 768))
  }
}

// MoE block (Qwen3 routing, SwiGLU experts)
let (h, i, e, k) = (1024, 512, 16, 2)
let experts = MoEExperts(
  gate: (0..<e).map { _ in rng.tensor([i, h], scale: 0.03) },
  up: (0..<e).map { _ in rng.tensor([i, h], scale: 0.03) },
  down: (0..<e).map { _ in rng.tensor([h, i], scale: 0.03) })
let block = MoEBlock(
  router: Linear(weight: rng.tensor([e, h], scale: 0.03)),
  config: .qwen3(numExperts: e, topK: k, normTopkProb: true), experts: experts)
for (t, name, phase) in [
  (64, "moe T=64 H=1024 I=512 E=16", MoEPhase.prefill), (1, "moe_t1 (decode)", .decode),
] where selected(name) {
  let x = rng.tensor([t, h])
  for threads in [1, 2] {
    let s = best { sink += block(x, phase: phase, threads: threads).data[0] }
    report(name, threads, s, Double(t * k * 6 * h * i + 2 * t * h * e))
  }
}

if json {
  let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
  print(String(decoding: data, as: UTF8.self))
}
if sink.isNaN { print("") }  // keeps the results alive
