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

// The front end and the checker do no simultaneous access to one variable by design; dynamic exclusivity
// checks cost a few percent of `check` time.
let noExclusivityChecks: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
  name: "metalint",
  products: [
    .executable(name: "metalint", targets: ["MetaLintCLI"]),
    .library(name: "ModelDSL", targets: ["ModelDSL"]),
    .library(name: "MetaLint", targets: ["MetaLint"]),
    .library(name: "Reference", targets: ["Reference"]),
  ],
  targets: [
    .target(name: "ModelDSL", swiftSettings: noExclusivityChecks),
    .target(name: "MetaLint", dependencies: ["ModelDSL"], swiftSettings: noExclusivityChecks),
    .target(name: "Reference", dependencies: ["ModelDSL"], swiftSettings: fastMath),
    // Swift compiled from fixtures/models by `metalint compile` (regenerate with
    // `swift run metalint compile fixtures/models --output Sources/GeneratedModels`; a test fails when stale).
    .target(name: "GeneratedModels", dependencies: ["Reference"]),
    .executableTarget(name: "MetaLintCLI", dependencies: ["ModelDSL", "MetaLint", "Reference"]),
    .target(name: "TestSupport", dependencies: ["ModelDSL", "MetaLint"], path: "Sources/TestSupport"),
    .testTarget(name: "ModelDSLTests", dependencies: ["ModelDSL", "TestSupport"]),
    .testTarget(name: "MetaLintTests", dependencies: ["MetaLint", "ModelDSL", "TestSupport"]),
    .testTarget(name: "ReferenceTests", dependencies: ["Reference", "ModelDSL", "MetaLint"], swiftSettings: fastMath),
    .testTarget(name: "GeneratedModelsTests", dependencies: ["GeneratedModels", "Reference", "MetaLint", "ModelDSL"]),
    // CLITests runs the built `metalint` binary; depending on its target makes `swift test` build it first.
    .testTarget(name: "CLITests", dependencies: ["MetaLintCLI", "MetaLint", "TestSupport"]),
    .executableTarget(name: "metalint-bench", dependencies: ["Reference"], path: "Benchmarks/MetaLintBench",
                      swiftSettings: fastMath),
  ]
)
