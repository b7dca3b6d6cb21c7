import Foundation
import MetaLint
import MetaLintDriver
import DSLInterpreter
import ModelDSL
import Testing
@testable import Reference

/// The shipped model programs (`fixtures/models`) run by the interpreter against outputs that HF
/// transformers computed for the same weights (`fixtures/reference`, written offline by
/// `scripts/make_reference_fixtures.py`), and their invariance under MoE phase and chunking.
@Suite struct ModelFixtureTests {
  static let root: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
      url.deleteLastPathComponent()
    }
    return url
  }()

  struct Case: CustomTestStringConvertible, Sendable {
    let file: String
    let model: String
    let reference: String
    var testDescription: String { model }
  }

  static let cases = [
    Case(file: "qwen3_moe.mdl", model: "qwen3_moe", reference: "qwen3_moe_norm"),
    Case(file: "qwen3_moe.mdl", model: "qwen3_moe_nonorm", reference: "qwen3_moe_nonorm"),
    Case(file: "deepseek_v3.mdl", model: "deepseek_v3", reference: "deepseek_v3"),
    Case(file: "deepseek_v3.mdl", model: "deepseek_v3_nonorm", reference: "deepseek_v3_nonorm"),
    Case(file: "glm4_moe.mdl", model: "glm4_moe", reference: "glm4_moe"),
    Case(file: "gpt_oss.mdl", model: "gpt_oss", reference: "gpt_oss"),
    Case(file: "ernie4_5_moe.mdl", model: "ernie4_5_moe", reference: "ernie4_5_moe"),
  ]

  static func program(_ file: String) throws -> Program {
    let url = root.appendingPathComponent("fixtures/models/\(file)")
    let result = Linter.check(files: [(url.path, [UInt8](try Data(contentsOf: url)))])
    #expect(result.findings.isEmpty, "\(file): \(result.findings.map { $0.message })")
    return result.program
  }

  static func reference(_ c: Case, _ name: String) throws -> SafetensorsFile {
    try SafetensorsFile(contentsOf: root.appendingPathComponent("fixtures/reference/\(c.reference)/\(name)"))
  }

  static func run(_ c: Case, weights: String = "weights_f32.safetensors", input: Tensor, phase: String = "prefill",
                  chunkSize: Int? = nil, threads: Int = 2) throws -> Tensor {
    var settings = ModelRunner.Settings()
    settings.model = c.model
    settings.phase = phase
    settings.chunkSize = chunkSize
    settings.threads = threads
    let source = WeightSource(file: try reference(c, weights), prefix: "model.layers.0.")
    let runner = try ModelRunner(program: try program(c.file), weights: source, settings: settings)
    return try runner.run(input).output
  }

  /// Largest |a − b| against atol + rtol·|b|, with where it happened, for the failure message.
  static func close(_ a: Tensor, _ b: Tensor, atol: Float = 1e-5, rtol: Float = 1e-4) -> (Bool, String) {
    guard a.shape == b.shape else { return (false, "shapes \(a.shape) vs \(b.shape)") }
    var worst: (excess: Float, i: Int) = (-.infinity, 0)
    for i in 0..<a.count {
      let excess = abs(a.data[i] - b.data[i]) - (atol + rtol * abs(b.data[i]))
      if excess > worst.excess { worst = (excess, i) }
    }
    let i = worst.i
    return (worst.excess <= 0, "worst at \(i): \(a.data[i]) vs \(b.data[i]) (diff \(abs(a.data[i] - b.data[i])), "
            + "tolerance \(atol) + \(rtol)·|ref|)")
  }

  @Test(arguments: cases)
  func matchesHFTransformers(_ c: Case) throws {
    let io = try Self.reference(c, "io.safetensors")
    for suffix in ["", "_t1"] {
      let out = try Self.run(c, input: try io.tensor("input" + suffix))
      let (ok, detail) = Self.close(out, try io.tensor("output" + suffix))
      #expect(ok, "\(c.model) f32\(suffix): \(detail)")
    }
  }

  @Test(arguments: cases)
  func matchesHFTransformersWithBF16Weights(_ c: Case) throws {
    let io = try Self.reference(c, "io.safetensors")
    for suffix in ["", "_t1"] {
      let out = try Self.run(c, weights: "weights_bf16.safetensors", input: try io.tensor("input" + suffix))
      let (ok, detail) = Self.close(out, try io.tensor("output_bf16" + suffix))
      #expect(ok, "\(c.model) bf16\(suffix): \(detail)")
    }
  }

  /// The decode path, chunked MoE (including more chunks than tokens) and one thread all give the prefill
  /// result within 1e-5 relative.
  @Test(arguments: cases)
  func phaseAndChunkingDoNotChangeTheResult(_ c: Case) throws {
    let input = try Self.reference(c, "io.safetensors").tensor("input")
    let base = try Self.run(c, input: input)
    for (phase, chunk, threads) in [("decode", nil, 2), ("prefill", 1, 2), ("prefill", 3, 2), ("decode", 2, 2),
                                    ("prefill", nil, 1)] as [(String, Int?, Int)] {
      let out = try Self.run(c, input: input, phase: phase, chunkSize: chunk, threads: threads)
      let (ok, detail) = Self.close(out, base, atol: 1e-6, rtol: 1e-5)
      #expect(ok, "\(c.model) \(phase) chunk \(chunk.map(String.init) ?? "none") threads \(threads): \(detail)")
    }
  }
}
