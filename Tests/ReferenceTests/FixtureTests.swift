import Foundation
import Testing
@testable import Reference

/// The HF reference fixtures made by scripts/make_reference_fixtures.py (transformers 5.18.0, float32), read
/// with our safetensors reader. Tolerance atol 1e-5 + rtol 1e-4 (research note §1.7).
@Suite struct FixtureTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("fixtures/reference")
  static let cases = [
    "qwen3_moe_norm", "qwen3_moe_nonorm", "deepseek_v3", "deepseek_v3_nonorm", "glm4_moe",
    "gpt_oss", "ernie4_5_moe",
  ]

  struct Loaded {
    let json: [String: Any], io: SafetensorsFile, f32: SafetensorsFile, bf16: SafetensorsFile, family: String
  }

  func load(_ c: String) throws -> Loaded {
    let dir = Self.root.appendingPathComponent(c)
    let json =
      try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("config.json")))
      as! [String: Any]
    return Loaded(
      json: json, io: try SafetensorsFile(contentsOf: dir.appendingPathComponent("io.safetensors")),
      f32: try SafetensorsFile(contentsOf: dir.appendingPathComponent("weights_f32.safetensors")),
      bf16: try SafetensorsFile(contentsOf: dir.appendingPathComponent("weights_bf16.safetensors")),
      family: json["model_type"] as! String)
  }

  @Test(arguments: cases)
  func blockMatchesHF(_ c: String) throws {
    let f = try load(c)
    let eps = Float((f.json["rms_norm_eps"] as? NSNumber)?.doubleValue ?? 1e-6)
    for (weights, tag) in [(f.f32, ""), (f.bf16, "_bf16")] {
      let block = try HFMoELoader.loadBlock(
        family: f.family, json: f.json, weights: weights,
        prefix: "model.layers.0.mlp.")
      let normW = try weights.tensor("model.layers.0.post_attention_layernorm.weight")
      for suffix in ["", "_t1"] {
        let x = try f.io.tensor("input" + suffix)
        let normed = rmsNorm(x, weight: normW, eps: eps)
        let what = "\(c)\(tag)\(suffix)"
        expectClose(
          normed, try f.io.tensor("normed\(tag)\(suffix)"), atol: 1e-5, rtol: 1e-4, "\(what) rmsNorm")
        let want = try f.io.tensor("output\(tag)\(suffix)")
        // Use HF's normed input so that the block is compared on its own.
        let hfNormed = try f.io.tensor("normed\(tag)\(suffix)")
        expectClose(block.reference(hfNormed), want, atol: 1e-5, rtol: 1e-4, "\(what) reference block")
        for phase in [MoEPhase.prefill, .decode] {
          for threads in [1, 2] {
            expectClose(
              block(hfNormed, phase: phase, threads: threads), want, atol: 1e-5, rtol: 1e-4,
              "\(what) \(phase) threads=\(threads)")
          }
          expectClose(
            block(hfNormed, phase: phase, execution: .chunked(numChunks: 3, maxNumChunks: 4)), want,
            atol: 1e-5, rtol: 1e-4, "\(what) \(phase) chunked 3/4")
          expectClose(
            block(hfNormed, phase: phase, execution: .splitAllgather(tpSize: 3)), want,
            atol: 1e-5, rtol: 1e-4, "\(what) \(phase) split_allgather tp=3")
        }
      }
    }
  }

  @Test(arguments: cases)
  func routingMatchesHF(_ c: String) throws {
    let f = try load(c)
    let block = try HFMoELoader.loadBlock(
      family: f.family, json: f.json, weights: f.f32,
      prefix: "model.layers.0.mlp.")
    for suffix in ["", "_t1"] {
      let normed = try f.io.tensor("normed" + suffix)
      let logits = block.logits(normed)
      expectClose(logits, try f.io.tensor("router_logits" + suffix), atol: 1e-5, rtol: 1e-4, "\(c) logits")
      let r = route(logits: logits, config: block.config)
      let ids = try f.io.tensor("topk_ids" + suffix), w = try f.io.tensor("topk_weights" + suffix)
      let k = r.topK
      for t in 0..<r.tokens {
        // HF's DeepSeek router uses topk(sorted=False): compare as maps expert → weight.
        var want: [Int: Float] = [:], got: [Int: Float] = [:]
        for j in 0..<k {
          want[Int(ids.data[t * k + j])] = w.data[t * k + j]
          got[r.ids[t * k + j]] = r.weights.data[t * k + j]
        }
        #expect(
          Set(got.keys) == Set(want.keys),
          "\(c)\(suffix) token \(t): experts \(got.keys.sorted()) vs HF \(want.keys.sorted())")
        for (e, v) in want {
          #expect(abs((got[e] ?? .nan) - v) <= 1e-5 + 1e-4 * abs(v), "\(c) token \(t) expert \(e)")
        }
      }
    }
  }

  @Test func fixturesHaveAnIdleExpertAndASingleToken() throws {
    for c in Self.cases {
      let f = try load(c)
      let e = try HFMoELoader.config(family: f.family, json: f.json).numExperts
      let ids = Set(try f.io.tensor("topk_ids").data.map(Int.init))
      #expect(ids.count < e, "\(c): every expert has tokens")
      #expect(try f.io.tensor("input_t1").shape[0] == 1)
    }
  }
}
