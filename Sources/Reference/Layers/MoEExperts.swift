/// The routed experts of one MoE block, E gated MLPs stored for the fast kernels.
///
/// Every expert keeps one fused gate/up weight [2I, H] in Linear layout plus a down weight [H, I], each
/// packed (`PackedWeight`). How the 2I rows split into gate and up depends on `activation`: halves for
/// `.swiglu` (gate rows then up rows, HF v5's fused `gate_up_proj`), interleaved for `.swigluOAI`
/// (GPT-OSS). Expert e computes, for rows x [n, H]:
///   gu = x·GUᵀ (+ b_gu) [n, 2I];  h = act(gu) [n, I];  y = h·Dᵀ (+ b_d) [n, H].
public struct MoEExperts: Sendable {
  /// E.
  public let numExperts: Int
  /// H.
  public let hidden: Int
  /// I, one expert's intermediate width.
  public let intermediate: Int
  /// How gu [n, 2I] becomes h [n, I].
  public let activation: ExpertActivation
  /// Per expert, [2I, H].
  let gateUp: [PackedWeight]
  /// Per expert, [2I], or nil when the experts have no biases.
  let gateUpBias: [Tensor]?
  /// Per expert, [H, I].
  let down: [PackedWeight]
  /// Per expert, [H], or nil.
  let downBias: [Tensor]?

  /// Checkpoint layout (Qwen3, DeepSeek-V3, GLM-4, Ernie): per expert gate_proj [I, H], up_proj [I, H],
  /// down_proj [H, I], SwiGLU, no biases.
  public init(gate: [Tensor], up: [Tensor], down: [Tensor]) {
    precondition(
      !gate.isEmpty && gate.count == up.count && gate.count == down.count,
      "MoEExperts: \(gate.count) gate, \(up.count) up, \(down.count) down weights")
    let i = gate[0].shape[0], h = gate[0].shape[1]
    var gu: [PackedWeight] = [], d: [PackedWeight] = []
    for e in 0..<gate.count {
      precondition(
        gate[e].shape == [i, h] && up[e].shape == [i, h] && down[e].shape == [h, i],
        "MoEExperts: expert \(e) has gate \(gate[e].shape), up \(up[e].shape), down \(down[e].shape)")
      gu.append(PackedWeight(Tensor(shape: [2 * i, h], data: gate[e].data + up[e].data)))
      d.append(PackedWeight(down[e]))
    }
    self.init(
      numExperts: gate.count, hidden: h, intermediate: i, activation: .swiglu,
      gateUp: gu, gateUpBias: nil, down: d, downBias: nil)
  }

  /// GPT-OSS HF layout: gate_up_proj [E, H, 2I] (x·W layout, gate/up interleaved on the 2I axis),
  /// gate_up_proj_bias [E, 2I], down_proj [E, I, H], down_proj_bias [E, H]. Transposed once to Linear
  /// layout.
  public init(gptOSSGateUp: Tensor, gateUpBias: Tensor?, down: Tensor, downBias: Tensor?) {
    precondition(
      gptOSSGateUp.rank == 3 && down.rank == 3,
      "MoEExperts: gate_up \(gptOSSGateUp.shape), down \(down.shape)")
    let e = gptOSSGateUp.shape[0], h = gptOSSGateUp.shape[1], i2 = gptOSSGateUp.shape[2], i = i2 / 2
    precondition(
      i2 % 2 == 0 && down.shape == [e, i, h], "MoEExperts: gate_up \(gptOSSGateUp.shape), down \(down.shape)"
    )
    precondition(gateUpBias == nil || gateUpBias!.shape == [e, i2], "MoEExperts: gate_up_proj_bias shape")
    precondition(downBias == nil || downBias!.shape == [e, h], "MoEExperts: down_proj_bias shape")
    var gu: [PackedWeight] = [], d: [PackedWeight] = []
    for x in 0..<e {
      gu.append(PackedWeight(transposed(gptOSSGateUp.data, offset: x * h * i2, rows: h, cols: i2)))
      d.append(PackedWeight(transposed(down.data, offset: x * i * h, rows: i, cols: h)))
    }
    self.init(
      numExperts: e, hidden: h, intermediate: i, activation: .swigluOAI, gateUp: gu,
      gateUpBias: gateUpBias.map { b in (0..<e).map { b.rows($0..<$0 + 1).reshaped([i2]) } },
      down: d, downBias: downBias.map { b in (0..<e).map { b.rows($0..<$0 + 1).reshaped([h]) } })
  }

  /// HF transformers v5 in-memory layout: gate_up_proj [E, 2I, H] (gate rows then up rows, or interleaved
  /// for `.swigluOAI`), down_proj [E, H, I], optional biases [E, 2I] and [E, H].
  public init(
    fusedGateUp: Tensor, down: Tensor, activation: ExpertActivation = .swiglu,
    gateUpBias: Tensor? = nil, downBias: Tensor? = nil
  ) {
    precondition(
      fusedGateUp.rank == 3 && down.rank == 3, "MoEExperts: gate_up \(fusedGateUp.shape), down \(down.shape)"
    )
    let e = fusedGateUp.shape[0], i2 = fusedGateUp.shape[1], h = fusedGateUp.shape[2], i = i2 / 2
    precondition(
      i2 % 2 == 0 && down.shape == [e, h, i], "MoEExperts: gate_up \(fusedGateUp.shape), down \(down.shape)")
    self.init(
      numExperts: e, hidden: h, intermediate: i, activation: activation,
      gateUp: (0..<e).map { PackedWeight(fusedGateUp.rows($0 * i2..<($0 + 1) * i2)) },
      gateUpBias: gateUpBias.map { b in (0..<e).map { b.rows($0..<$0 + 1).reshaped([i2]) } },
      down: (0..<e).map { PackedWeight(down.rows($0 * h..<($0 + 1) * h)) },
      downBias: downBias.map { b in (0..<e).map { b.rows($0..<$0 + 1).reshaped([h]) } })
  }

  init(
    numExperts: Int, hidden: Int, intermediate: Int, activation: ExpertActivation, gateUp: [PackedWeight],
    gateUpBias: [Tensor]?, down: [PackedWeight], downBias: [Tensor]?
  ) {
    self.numExperts = numExperts
    self.hidden = hidden
    self.intermediate = intermediate
    self.activation = activation
    self.gateUp = gateUp
    self.gateUpBias = gateUpBias
    self.down = down
    self.downBias = downBias
  }

  /// Reference for one expert with plain loops on the unpacked weights: x [n, H] -> [n, H].
  public func expertReference(_ e: Int, _ x: Tensor) -> Tensor {
    let gu = linearReference(x, weight: gateUp[e].weight, bias: gateUpBias?[e])
    let h: Tensor
    switch activation {
    case .swigluOAI: h = swigluOAIReference(gu)
    case .swiglu:
      let i = intermediate
      var gate = Tensor(zeros: [x.rows, i]), up = Tensor(zeros: [x.rows, i])
      for r in 0..<x.rows {
        for j in 0..<i {
          gate.data[r * i + j] = gu.data[r * 2 * i + j]; up.data[r * i + j] = gu.data[r * 2 * i + i + j]
        }
      }
      h = swigluReference(gate: gate, up: up)
    }
    return linearReference(h, weight: down[e].weight, bias: downBias?[e])
  }
}

/// The [cols, rows] transpose of the [rows, cols] matrix at `offset` in `data`.
private func transposed(_ data: [Float], offset: Int, rows: Int, cols: Int) -> Tensor {
  var out = [Float](repeating: 0, count: rows * cols)
  for r in 0..<rows { for c in 0..<cols { out[c * rows + r] = data[offset + r * cols + c] } }
  return Tensor(shape: [cols, rows], data: out)
}
