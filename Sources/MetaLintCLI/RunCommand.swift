import Foundation
import MetaLint
import MetaLintDriver
import DSLInterpreter
import ModelDSL
import Reference

/// `metalint run`: execute a program's model on the CPU.
enum RunCommand: Command {
  static let name = "run"
  static let abstract = "Run a program's model on the CPU with real or seeded random weights."
  static let usage = """
    metalint run PATH… [--model NAME] [--weights FILE.safetensors] [--prefix P] [--input FILE.safetensors] \
    [--output FILE.safetensors] [--tokens N] [--seed N] [--phase prefill|decode] [--chunk-size N] [--threads N] \
    [--repeat N]
    """
  static let discussion = """
    The program is checked first; error findings stop the run (exit 1). Weights are named by field path
    (layers.0.mlp.experts.3.gate_proj.weight), after --prefix (e.g. 'model.layers.0.'); without --weights
    they are seeded random values. --input and --output hold a tensor named 'input' / 'output'; without
    --input, --tokens rows of seeded random input. --phase selects the MoE path, --chunk-size splits each
    MoE layer's tokens into chunks as chunked MoE does; neither changes the result beyond 1e-5 relative.
    --repeat N runs the forward N times and reports the fastest.

    EXIT STATUS: 0 ran; 1 the program has errors or failed at run time; 2 bad options or files.
    """

  static func run(_ args: [String]) throws -> Int32 {
    let o = try Options(args, valued: ["model", "weights", "prefix", "input", "output", "tokens", "seed", "phase",
                                       "chunk-size", "threads", "repeat"], flags: [])
    guard !o.positional.isEmpty else { throw UsageError("'run' needs at least one PATH") }
    guard let result = try Inputs.errorFreeProgram(o.positional) else { return 1 }
    var settings = ModelRunner.Settings()
    settings.model = o.values["model"]
    if let t = try o.int("tokens") {
      guard t >= 0 else { throw UsageError("--tokens must not be negative") }
      settings.tokens = t
    }
    if let s = try o.int("seed") { settings.seed = UInt64(bitPattern: Int64(s)) }
    if let p = o.values["phase"] {
      guard p == "prefill" || p == "decode" else { throw UsageError("--phase must be prefill or decode, not '\(p)'") }
      settings.phase = p
    }
    if let c = try o.int("chunk-size") {
      guard c > 0 else { throw UsageError("--chunk-size must be positive") }
      settings.chunkSize = c
    }
    if let n = try o.int("repeat") {
      guard n >= 1 else { throw UsageError("--repeat must be at least 1") }
      settings.repeats = n
    }
    if let t = try o.int("threads") {
      guard t >= 1 else { throw UsageError("--threads must be at least 1") }
      settings.threads = t
    }
    let weights: WeightSource
    do {
      let file = try o.values["weights"].map { try SafetensorsFile(contentsOf: URL(fileURLWithPath: $0)) }
      weights = WeightSource(file: file, seed: settings.seed, prefix: o.values["prefix"] ?? "")
    } catch {
      throw UsageError("\(o.values["weights"] ?? ""): \(error)")
    }
    do {
      let runner = try ModelRunner(program: result.program, weights: weights, settings: settings)
      let input: Tensor
      if let path = o.values["input"] {
        do {
          input = try SafetensorsFile(contentsOf: URL(fileURLWithPath: path)).tensor("input")
        } catch {
          throw UsageError("\(path): \(error)")
        }
      } else {
        input = try runner.randomInput()
      }
      let report = try runner.run(input)
      if let path = o.values["output"] {
        do {
          try SafetensorsWriter.write([.init("output", report.output)], metadata: ["producer": "metalint run"],
                                      to: URL(fileURLWithPath: path))
        } catch {
          throw UsageError("\(path): \(error)")
        }
      }
      printOut(summary(report, settings))
      return 0
    } catch let e as RuntimeError {
      printError(e.rendered)
      return 1
    }
  }

  static func summary(_ r: ModelRunner.Report, _ s: ModelRunner.Settings) -> String {
    let tokens = r.input.rank >= 2 ? r.input.rows : r.input.count
    let ms = r.seconds * 1000
    let rate = r.seconds > 0 ? Double(tokens) / r.seconds : 0
    var out = "model '\(r.modelName)': input \(r.input.shape) -> output \(r.output.shape)"
    out += r.otherModels > 0 ? " (the first of \(r.otherModels + 1) models; choose with --model)\n" : "\n"
    out += String(format: "forward %.3f ms, %.0f tokens/s, phase %@, %d chunk%@, %d thread%@ (load %.1f ms)\n", ms,
                  rate, s.phase, r.chunks, r.chunks == 1 ? "" : "s", s.threads, s.threads == 1 ? "" : "s",
                  r.loadSeconds * 1000)
    for e in r.expertsHit { out += "experts hit: \(e.path) \(e.hit)/\(e.total)\n" }
    return out
  }
}
