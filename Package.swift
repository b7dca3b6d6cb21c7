// swift-tools-version:6.0
import PackageDescription

// The executor's kernels need FMA/AVX2 to be fast. Swift has no compile-time CPU feature test, and without
// `-target-cpu` `SIMD.addingProduct` becomes a library call per lane (~100x slower). We target Haswell
// (AVX2+FMA, every x86_64 server CPU since 2013) on x86_64 hosts; `METALINT_PORTABLE=1` turns it off for
// older CPUs. The code is correct either way, only slower.
import Foundation

var fastMath: [SwiftSetting] = []
#if arch(x86_64)
if ProcessInfo.processInfo.environment["METALINT_PORTABLE"] == nil {
  fastMath = [.unsafeFlags(["-target-cpu", "haswell"])]
}
#endif

let package = Package(
  name: "metalint",
  products: [
    .executable(name: "metalint", targets: ["MetaLintCLI"]),
    .library(name: "ModelDSL", targets: ["ModelDSL"]),
    .library(name: "MetaLint", targets: ["MetaLint"]),
    .library(name: "Reference", targets: ["Reference"]),
  ],
  targets: [
    .target(name: "ModelDSL"),
    .target(name: "MetaLint", dependencies: ["ModelDSL"]),
    .target(name: "Reference", dependencies: ["ModelDSL"], swiftSettings: fastMath),
    .executableTarget(name: "MetaLintCLI", dependencies: ["ModelDSL", "MetaLint", "Reference"]),
    .target(name: "TestSupport", dependencies: ["ModelDSL", "MetaLint"], path: "Sources/TestSupport"),
    .testTarget(name: "ModelDSLTests", dependencies: ["ModelDSL", "TestSupport"]),
    .testTarget(name: "MetaLintTests", dependencies: ["MetaLint", "ModelDSL", "TestSupport"]),
    .testTarget(name: "ReferenceTests", dependencies: ["Reference", "ModelDSL"], swiftSettings: fastMath),
    .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    .executableTarget(name: "metalint-bench", dependencies: ["Reference"], path: "Benchmarks/MetaLintBench",
                      swiftSettings: fastMath),
  ]
)
