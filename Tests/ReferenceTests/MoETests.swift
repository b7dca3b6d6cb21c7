import Testing
@testable import Reference

/// Random tiny MoE problems: SwiGLU experts (checkpoint layout) or GPT-OSS experts with biases.
struct MoEProblem {
  let x: Tensor, logits: Tensor, config: MoEConfig, experts: MoEExperts

  init(t: Int, h: Int = 20, i: Int = 12, e: Int = 6, k: Int = 2, oai: Bool = false, seed: UInt64) {
    var rng = SeededRandom(seed)
    x = rng.tensor([t, h])
    logits = rng.tensor([t, e], scale: 2)
    if oai {
      config = .gptOSS(numExperts: e, topK: k)
      experts = MoEExperts(
        gptOSSGateUp: rng.tensor([e, h, 2 * i], scale: 2), gateUpBias: rng.tensor([e, 2 * i]),
        down: rng.tensor([e, i, h], scale: 0.3), downBias: rng.tensor([e, h]))
    } else {
      config = .qwen3(numExperts: e, topK: k, normTopkProb: true)
      experts = MoEExperts(
        gate: (0..<e).map { _ in rng.tensor([i, h], scale: 0.3) },
        up: (0..<e).map { _ in rng.tensor([i, h], scale: 0.3) },
        down: (0..<e).map { _ in rng.tensor([h, i], scale: 0.3) })
    }
  }
}

@Suite struct MoEPathTests {
  /// Every path and thread count against the plain-loop reference, within 1e-5 relative (LANGUAGE.md §8).
  @Test(arguments: [false, true])
  func allPathsAgree(oai: Bool) {
    let p = MoEProblem(t: 11, oai: oai, seed: oai ? 21 : 22)
    let ref = moeReference(p.x, logits: p.logits, config: p.config, experts: p.experts)
    func check(_ y: Tensor, _ what: String) { expectClose(y, ref, atol: 1e-6, rtol: 1e-5, what) }
    for threads in [1, 2, 3] {
      for phase in [MoEPhase.prefill, .decode] {
        let tag = "oai=\(oai) \(phase) threads=\(threads)"
        check(
          moeForward(
            p.x, logits: p.logits, config: p.config, experts: p.experts, phase: phase,
            threads: threads), tag)
        for (n, m) in [(1, 1), (2, 2), (3, 5), (4, 4), (11, 12), (13, 13)] {
          check(
            moeForwardChunked(
              p.x, logits: p.logits, config: p.config, experts: p.experts, numChunks: n,
              maxNumChunks: m, phase: phase, threads: threads), "\(tag) chunked \(n)/\(m)")
        }
        for tp in [1, 2, 3, 4, 16] {
          check(
            moeForwardSplitAllgather(
              p.x, logits: p.logits, config: p.config, experts: p.experts, tpSize: tp,
              phase: phase, threads: threads), "\(tag) split_allgather tp=\(tp)")
        }
      }
    }
  }

  @Test func anExpertWithNoTokens() {
    let p = MoEProblem(t: 2, e: 6, k: 2, seed: 5)
    let used = Set(route(logits: p.logits, config: p.config).ids)
    #expect(used.count < 6, "some expert must receive no tokens")
    let ref = moeReference(p.x, logits: p.logits, config: p.config, experts: p.experts)
    for phase in [MoEPhase.prefill, .decode] {
      expectClose(
        moeForward(
          p.x, logits: p.logits, config: p.config, experts: p.experts, phase: phase,
          threads: 2), ref, atol: 1e-6, rtol: 1e-5, "idle expert \(phase)")
    }
  }

  @Test(arguments: [false, true])
  func singleToken(oai: Bool) {
    let p = MoEProblem(t: 1, oai: oai, seed: 6)
    let ref = moeReference(p.x, logits: p.logits, config: p.config, experts: p.experts)
    for phase in [MoEPhase.prefill, .decode] {
      for threads in [1, 2] {
        expectClose(
          moeForward(
            p.x, logits: p.logits, config: p.config, experts: p.experts, phase: phase,
            threads: threads), ref, atol: 1e-6, rtol: 1e-5, "T=1 \(phase) \(threads)")
      }
    }
  }

  @Test func zeroRows() {
    let p = MoEProblem(t: 0, seed: 7)
    #expect(route(logits: p.logits, config: p.config).ids.isEmpty)
    for phase in [MoEPhase.prefill, .decode] {
      #expect(
        moeForward(
          p.x, logits: p.logits, config: p.config, experts: p.experts, phase: phase,
          threads: 2
        ).shape == [0, 20])
      #expect(
        moeForwardChunked(
          p.x, logits: p.logits, config: p.config, experts: p.experts, numChunks: 2,
          maxNumChunks: 3, phase: phase
        ).shape == [0, 20])
      #expect(
        moeForwardSplitAllgather(
          p.x, logits: p.logits, config: p.config, experts: p.experts, tpSize: 2,
          phase: phase
        ).shape == [0, 20])
    }
  }

  @Test func fusedLayoutEqualsCheckpointLayout() {
    var rng = SeededRandom(8)
    let (e, h, i) = (3, 8, 5)
    let gate = (0..<e).map { _ in rng.tensor([i, h]) }, up = (0..<e).map { _ in rng.tensor([i, h]) }
    let down = (0..<e).map { _ in rng.tensor([h, i]) }
    let fused = MoEExperts(
      fusedGateUp: Tensor(shape: [e, 2 * i, h], data: (0..<e).flatMap { gate[$0].data + up[$0].data }),
      down: Tensor(shape: [e, h, i], data: down.flatMap(\.data)))
    let split = MoEExperts(gate: gate, up: up, down: down)
    let x = rng.tensor([4, h])
    for ex in 0..<e { #expect(fused.expertReference(ex, x) == split.expertReference(ex, x)) }
  }
}
