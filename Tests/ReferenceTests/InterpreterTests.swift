import Foundation
import MetaLint
import MetaLintDriver
import DSLInterpreter
import ModelDSL
import Testing
@testable import Reference

/// The interpreter on small programs: split_allgather over simulated tensor-parallel ranks, run-time errors
/// that name the layer and the expression, weights that are missing or mis-shaped.
@Suite struct InterpreterTests {
  static func program(_ source: String) -> Program {
    let result = Linter.check(files: [("t.mdl", Array(source.utf8))])
    #expect(result.errorCount == 0, "\(result.findings.map { $0.message })")
    return result.program
  }

  static func block(tp: Int, hidden: Int = 16) -> String {
    """
    layer Block(h: Int) {
      let gate = Linear(h, 8)
      let experts = FusedMoE(hidden: h, intermediate: 8, num_experts: 8, top_k: 2, tp_size: \(tp))
      func forward(x: Tensor, forwardMeta: ForwardMeta) -> Tensor {
        return experts(x, gate, forwardMeta)
      }
    }
    model block = Block(\(hidden))
    """
  }

  static func run(_ source: String, tokens: Int = 5, phase: String = "prefill", weights: SafetensorsFile? = nil) throws
    -> ModelRunner.Report {
    var s = ModelRunner.Settings()
    s.tokens = tokens
    s.phase = phase
    let runner = try ModelRunner(program: program(source), weights: WeightSource(file: weights, seed: 7), settings: s)
    return try runner.run(try runner.randomInput())
  }

  @Test func splitAllgatherMatchesOneRank() throws {
    let one = try Self.run(Self.block(tp: 1)).output
    for tp in [2, 3] {
      for tokens in [5] {
        let many = try Self.run(Self.block(tp: tp), tokens: tokens).output
        #expect(maxAbsDiff(many, one).diff <= 1e-5, "tp \(tp)")
      }
    }
  }

  @Test func seededRunsAreReproducible() throws {
    let a = try Self.run(Self.block(tp: 1)).output
    let b = try Self.run(Self.block(tp: 1)).output
    #expect(a == b)
  }

  @Test func aShapeErrorNamesTheLayerAndTheExpression() throws {
    let source = """
      layer Bad(h: Int) {
        let up = Linear(h, 2 * h)
        let down = Linear(h, h)
        func forward(x: Tensor, forwardMeta: ForwardMeta) -> Tensor {
          return down(up(x))
        }
      }
      model bad = Bad(8)
      """
    do {
      _ = try Self.run(source)
      Issue.record("expected a run-time error")
    } catch let e as RuntimeError {
      #expect(e.rendered.contains("input has 16 features"), "\(e.rendered)")
      #expect(e.rendered.contains("'down.weight'"), "\(e.rendered)")
      #expect(e.rendered.contains("in layer 'Linear' at 'down'"), "\(e.rendered)")
    }
  }

  @Test func missingAndMisShapedWeightsAreReportedByName() throws {
    let source = Self.block(tp: 1)
    let data = try SafetensorsWriter.encode([.init("gate.weight", Tensor(zeros: [8, 16]))])
    do {
      _ = try Self.run(source, weights: try SafetensorsFile(data: data))
      Issue.record("expected a missing weight")
    } catch let e as RuntimeError {
      #expect(e.rendered.contains("missing weight 'experts.0.gate_proj.weight' (expected shape [8, 16])"), "\(e.rendered)")
    }
    let wrong = try SafetensorsWriter.encode([.init("gate.weight", Tensor(zeros: [8, 15]))])
    do {
      _ = try Self.run(source, weights: try SafetensorsFile(data: wrong))
      Issue.record("expected a mis-shaped weight")
    } catch let e as RuntimeError {
      #expect(e.rendered.contains("weight 'gate.weight' has shape [8, 15], but the program declares [8, 16]"), "\(e.rendered)")
    }
  }

  @Test func aBadRoutingConfigurationIsAnErrorNotACrash() throws {
    let source = """
      layer B(h: Int) {
        let gate = Linear(h, 4)
        let experts = FusedMoE(hidden: h, intermediate: 4, num_experts: 4, top_k: 9)
        func forward(x: Tensor, forwardMeta: ForwardMeta) -> Tensor {
          return experts(x, gate, forwardMeta)
        }
      }
      model b = B(8)
      """
    #expect(throws: RuntimeError.self) { _ = try Self.run(source) }
  }

  @Test func aSingleTokenAndAnEmptyBatchRun() throws {
    #expect(try Self.run(Self.block(tp: 1), tokens: 1).output.shape == [1, 16])
    #expect(try Self.run(Self.block(tp: 1), tokens: 0).output.shape == [0, 16])
    #expect(try Self.run(Self.block(tp: 1), tokens: 1, phase: "decode").output.shape == [1, 16])
  }
}
