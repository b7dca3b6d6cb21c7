import Foundation
import GeneratedModels
import MetaLint
import MetaLintDriver
import DSLInterpreter
import ModelDSL
import SwiftCodeGen
import Reference
import Testing

/// The Swift that `metalint compile` generates: the committed copy in `Sources/GeneratedModels` is current,
/// its outputs equal the interpreter's bit for bit, and the generated text of a program using every
/// construct matches its golden file.
@Suite struct GeneratedModelsTests {
  static let root: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
      url.deleteLastPathComponent()
    }
    return url
  }()

  /// Checks files given by repository-relative paths (the generated headers name them so).
  static func program(_ relative: [String]) throws -> LintResult {
    let files = try relative.map { ($0, [UInt8](try Data(contentsOf: root.appendingPathComponent($0)))) }
    return Linter.check(files: files)
  }

  static func modelFiles() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("fixtures/models").path)
      .filter { $0.hasSuffix(".mdl") }.sorted().map { "fixtures/models/" + $0 }
  }

  @Test func committedGeneratedModelsAreCurrent() throws {
    let generated = try SwiftGenerator.generate(try Self.program(try Self.modelFiles()).program)
    let dir = Self.root.appendingPathComponent("Sources/GeneratedModels")
    let committed = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".swift") }
    #expect(Set(committed) == Set(generated.map { $0.name }),
            "Sources/GeneratedModels is stale: run `swift run metalint compile fixtures/models --output Sources/GeneratedModels`")
    for (name, source) in generated {
      let onDisk = String(decoding: (try? Data(contentsOf: dir.appendingPathComponent(name))) ?? Data(), as: UTF8.self)
      #expect(onDisk == source, "Sources/GeneratedModels/\(name) is stale: regenerate it")
    }
  }

  @Test func generationIsDeterministic() throws {
    let a = try SwiftGenerator.generate(try Self.program(try Self.modelFiles()).program)
    let b = try SwiftGenerator.generate(try Self.program(try Self.modelFiles()).program)
    #expect(a.map { $0.source } == b.map { $0.source })
  }

  @Test func everyConstructGoldenFile() throws {
    let result = try Self.program(["fixtures/codegen/constructs.mdl"])
    #expect(result.errorCount == 0)
    let generated = try SwiftGenerator.generate(result.program)
    let source = try #require(generated.first { $0.name == "constructs.swift" }).source
    let golden = Self.root.appendingPathComponent("fixtures/codegen/constructs.swift.golden")
    if ProcessInfo.processInfo.environment["METALINT_UPDATE_GOLDENS"] == "1" {
      try Data(source.utf8).write(to: golden)
    }
    let expected = String(decoding: (try? Data(contentsOf: golden)) ?? Data(), as: UTF8.self)
    #expect(source == expected, "generated Swift differs from constructs.swift.golden")
  }

  struct Case: CustomTestStringConvertible, Sendable {
    let model: String
    let reference: String
    var testDescription: String { model }
  }

  static let cases = [
    Case(model: "qwen3_moe", reference: "qwen3_moe_norm"), Case(model: "qwen3_moe_nonorm", reference: "qwen3_moe_nonorm"),
    Case(model: "deepseek_v3", reference: "deepseek_v3"), Case(model: "deepseek_v3_nonorm", reference: "deepseek_v3_nonorm"),
    Case(model: "glm4_moe", reference: "glm4_moe"), Case(model: "gpt_oss", reference: "gpt_oss"),
    Case(model: "ernie4_5_moe", reference: "ernie4_5_moe"),
  ]

  /// The compiled model's `forward`, by model name (what a Swift user would call).
  static func compiledForward(_ model: String, _ context: BuildContext, _ x: TensorRef, _ meta: ForwardMeta) throws
    -> TensorRef {
    switch model {
    case "qwen3_moe": return try Models.qwen3Moe(context: context).forward(x: x, forwardMeta: meta)
    case "qwen3_moe_nonorm": return try Models.qwen3MoeNonorm(context: context).forward(x: x, forwardMeta: meta)
    case "deepseek_v3": return try Models.deepseekV3(context: context).forward(x: x, forwardMeta: meta)
    case "deepseek_v3_nonorm": return try Models.deepseekV3Nonorm(context: context).forward(x: x, forwardMeta: meta)
    case "glm4_moe": return try Models.glm4Moe(context: context).forward(x: x, forwardMeta: meta)
    case "gpt_oss": return try Models.gptOss(context: context).forward(x: x, forwardMeta: meta)
    case "ernie4_5_moe": return try Models.ernie45Moe(context: context).forward(forwardMeta: meta, hiddenStates: x)
    default: throw PrimitiveError("unknown model \(model)")
    }
  }

  @Test(arguments: cases)
  func compiledEqualsInterpretedBitForBit(_ c: Case) throws {
    let dir = Self.root.appendingPathComponent("fixtures/reference/\(c.reference)")
    let weights = try SafetensorsFile(contentsOf: dir.appendingPathComponent("weights_f32.safetensors"))
    let input = try SafetensorsFile(contentsOf: dir.appendingPathComponent("io.safetensors")).tensor("input")
    let program = try Self.program(try Self.modelFiles()).program
    for (phase, chunks, threads) in [("prefill", 1, 2), ("decode", 1, 2), ("prefill", 3, 1)] {
      var settings = ModelRunner.Settings()
      settings.model = c.model
      settings.phase = phase
      settings.threads = threads
      settings.chunkSize = chunks > 1 ? max(1, input.rows / chunks) : nil
      let runner = try ModelRunner(program: program, weights: WeightSource(file: weights, prefix: "model.layers.0."),
                                   settings: settings)
      let report = try runner.run(input)
      let context = BuildContext(root: WeightSource(file: weights, prefix: "model.layers.0."), threads: threads)
      let meta = ForwardMeta(moePhase: phase, moeNumChunk: report.chunks, maxMoeNumChunk: report.chunks)
      let compiled = try Self.compiledForward(c.model, context, TensorRef(input), meta).tensor
      let diff = maxAbsDiff(compiled, report.output).diff
      #expect(compiled == report.output, "\(c.model) \(phase) chunks \(report.chunks) threads \(threads): \(diff)")
    }
  }

  /// The Swift compiler refuses a call that drops a required context: the generated signature has no
  /// default for it. (Checked here by the type of the generated method.)
  @Test func requiredContextParametersAreNonOptional() throws {
    let source = try SwiftGenerator.generate(try Self.program(try Self.modelFiles()).program)
      .first { $0.name == "qwen3_moe.swift" }!.source
    #expect(source.contains("public func forward(x: TensorRef, forwardMeta: ForwardMeta) throws -> TensorRef"))
    let deepseek = try SwiftGenerator.generate(try Self.program(try Self.modelFiles()).program)
      .first { $0.name == "deepseek_v3.swift" }!.source
    #expect(deepseek.contains("forwardMeta: ForwardMeta? = nil"))
  }
}
