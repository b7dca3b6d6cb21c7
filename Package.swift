// swift-tools-version:6.0
import PackageDescription

// The executor's kernels need FMA/AVX2 to be fast. Swift has no compile-time CPU feature test, and without
// `-target-cpu` `SIMD.addingProduct` becomes a library call per lane (~100x slower). So this manifest, which
// runs on the build host, picks the target for the host's CPU (x86_64 only; other architectures get none):
// - Linux with AVX-512 F/BW/DQ/VL/CD in /proc/cpuinfo: `-target-cpu skylake-avx512` and the condition
//   `METALINT_AVX512`, which selects the 8x32 SIMD16<Float> GEMM kernel (GemmKernel.swift). skylake-avx512
//   asks for exactly those subsets (no AMX/FP16/VNNI), so the binary also runs on Ice Lake, Sapphire Rapids
//   and Zen 4/5, but not on CPUs without AVX-512: build where you run, or use one of the overrides below.
// - otherwise: `-target-cpu haswell` (AVX2+FMA, every x86_64 server CPU since 2013), the 6x16 SIMD8 kernel.
// - `METALINT_PORTABLE=1`: no `-target-cpu` at all, for older CPUs; `METALINT_CPU=NAME` sets the target
//   (e.g. `haswell` for the AVX2 build on an AVX-512 host; the 512-bit kernel only with `skylake-avx512`).
// The code is correct in every configuration, only slower.
import Foundation

/// The CPU flags of the build host (empty when unknown).
func hostCPUFlags() -> Set<Substring> {
  #if os(Linux)
  guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
    let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
  else { return [] }
  return Set(line.split(separator: " "))
  #else
  return []
  #endif
}

var fastMath: [SwiftSetting] = []
#if arch(x86_64)
let environment = ProcessInfo.processInfo.environment
if environment["METALINT_PORTABLE"] == nil {
  let avx512: Set<Substring> = ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd", "fma", "avx2"]
  let hostHasAVX512 = avx512.isSubset(of: hostCPUFlags())
  let cpu = environment["METALINT_CPU"] ?? (hostHasAVX512 ? "skylake-avx512" : "haswell")
  fastMath = [.unsafeFlags(["-target-cpu", cpu])]
  if cpu == "skylake-avx512" { fastMath.append(.define("METALINT_AVX512")) }
}
#endif

// The front end and the checker do no simultaneous access to one variable by design; dynamic exclusivity
// checks cost a few percent of `check` time.
let noExclusivityChecks: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
  name: "metalint",
  products: [
    .executable(name: "metalint", targets: ["MetaLintCLI"]),
    .library(name: "MetaCore", targets: ["MetaCore"]),
    .library(name: "ModelDSL", targets: ["ModelDSL"]),
    .library(name: "MetaLint", targets: ["MetaLint"]),
    .library(name: "Reference", targets: ["Reference"]),
  ],
  targets: [
    // The language-neutral core: sources, names, diagnostics, the checked model every front end lowers into.
    .target(name: "MetaCore", swiftSettings: noExclusivityChecks),
    .target(name: "ModelDSL", dependencies: ["MetaCore"], swiftSettings: noExclusivityChecks),
    // The rules read only the checked model: MetaLint must not depend on a front end.
    .target(name: "MetaLint", dependencies: ["MetaCore"], swiftSettings: noExclusivityChecks),
    // Joins the front ends to the rules (`check` and `fix` on files).
    .target(name: "MetaLintDriver", dependencies: ["MetaLint", "ModelDSL"], swiftSettings: noExclusivityChecks),
    // The executor's tensors, kernels, layers and loaders: no front end.
    .target(name: "Reference", dependencies: ["MetaCore"], swiftSettings: fastMath),
    // Runs a checked ModelDSL program on the Reference kernels (`metalint run`).
    .target(name: "DSLInterpreter", dependencies: ["ModelDSL", "Reference"], swiftSettings: noExclusivityChecks),
    // Emits Swift from a checked ModelDSL program (`metalint compile`).
    .target(name: "SwiftCodeGen", dependencies: ["ModelDSL"], swiftSettings: noExclusivityChecks),
    // Swift compiled from fixtures/models by `metalint compile` (regenerate with
    // `swift run metalint compile fixtures/models --output Sources/GeneratedModels`; a test fails when stale).
    .target(name: "GeneratedModels", dependencies: ["Reference"]),
    .executableTarget(name: "MetaLintCLI",
                     dependencies: ["ModelDSL", "MetaLint", "MetaLintDriver", "Reference", "DSLInterpreter", "SwiftCodeGen"]),
    .target(name: "TestSupport", dependencies: ["ModelDSL", "MetaLint", "MetaLintDriver"], path: "Sources/TestSupport"),
    .testTarget(name: "ModelDSLTests", dependencies: ["ModelDSL", "TestSupport"]),
    .testTarget(name: "MetaLintTests", dependencies: ["MetaLint", "MetaLintDriver", "ModelDSL", "Reference",
                                                    "DSLInterpreter", "SwiftCodeGen", "TestSupport"]),
    .testTarget(name: "ReferenceTests",
                dependencies: ["Reference", "ModelDSL", "MetaLint", "MetaLintDriver", "DSLInterpreter"],
                swiftSettings: fastMath),
    .testTarget(name: "GeneratedModelsTests",
                dependencies: ["GeneratedModels", "Reference", "MetaLint", "MetaLintDriver", "ModelDSL",
                               "DSLInterpreter", "SwiftCodeGen"]),
    // CLITests runs the built `metalint` binary; depending on its target makes `swift test` build it first.
    .testTarget(name: "CLITests", dependencies: ["MetaLintCLI", "MetaLint", "MetaLintDriver", "TestSupport"]),
    .executableTarget(name: "metalint-bench", dependencies: ["Reference"], path: "Benchmarks/MetaLintBench",
                      swiftSettings: fastMath),
  ]
)
