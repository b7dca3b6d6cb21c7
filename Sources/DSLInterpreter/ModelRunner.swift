import Reference
import Foundation
import ModelDSL

/// Runs a program's `model` the way the serving code would: builds it, makes the step's `ForwardMeta` (MoE
/// phase, chunk counts), feeds the input to the root layer's `forward`, and reports what happened.
public struct ModelRunner {
  public struct Settings: Sendable {
    public var model: String?
    public var tokens = 8
    public var seed: UInt64 = 0
    public var phase = "prefill"
    /// Tokens per MoE chunk; nil runs unchunked.
    public var chunkSize: Int?
    public var threads = 2
    /// Forward passes to time; the report keeps the fastest (the first one also warms caches and threads).
    public var repeats = 1
    public init() {}
  }

  public struct Report: Sendable {
    public var modelName: String
    public var input: Tensor
    public var output: Tensor
    public var seconds: Double
    public var chunks: Int
    /// Experts that received tokens, per MoE layer path, with the layer's expert count.
    public var expertsHit: [(path: String, hit: Int, total: Int)]
    /// How many other models the program declares when none was chosen.
    public var otherModels = 0
    /// Building the model and packing its weights.
    public var loadSeconds: Double = 0
  }

  public let interpreter: Interpreter
  public let root: LayerInstance
  public let settings: Settings

  /// Seconds spent building the model and preparing its weights for the kernels.
  public private(set) var loadSeconds: Double = 0

  public init(program: Program, weights: WeightSource, settings: Settings) throws {
    self.settings = settings
    let start = DispatchTime.now().uptimeNanoseconds
    interpreter = Interpreter(program: program, weights: weights, threads: settings.threads)
    root = try interpreter.build(model: settings.model)
    try prepare()
    loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }

  /// Packs every Linear weight and every FusedMoE's experts once, as a serving runtime does at load time, so
  /// that the timed forward measures the forward.
  func prepare() throws {
    let names = interpreter.program.names
    var stack: [Value] = [.layer(root)]
    var seen = Set<ObjectIdentifier>()
    while let v = stack.popLast() {
      switch v {
      case .list(let items): stack.append(contentsOf: items)
      case .layer(let l):
        guard seen.insert(ObjectIdentifier(l)).inserted else { continue }
        if interpreter.program.isPrelude(l.decl.nameRange) {
          switch names.string(l.decl.name) {
          case "Linear":
            if case .tensor(let w) = l.lookup("weight"), w.tensor.rank == 2 { _ = w.packed }
          case "FusedMoE":
            do {
              _ = try MoEPrimitive.setup(l)
            } catch let e as PrimitiveError {
              throw interpreter.error(e.message, at: l.decl.nameRange)
            }
          default: break
          }
        }
        stack.append(contentsOf: l.fields.values)
      default: break
      }
    }
  }

  /// The input width the root layer expects: the first Linear, RMSNorm or Embedding reached in field order.
  /// Nil for an Embedding (the input is token ids).
  public func inputWidth() -> (width: Int?, vocabulary: Int?) {
    let names = interpreter.program.names
    var stack: [Value] = [.layer(root)]
    var visited = Set<ObjectIdentifier>()
    while let v = stack.popLast() {
      switch v {
      case .list(let items): stack.append(contentsOf: items.reversed())
      case .layer(let l):
        guard visited.insert(ObjectIdentifier(l)).inserted else { continue }
        let kind = names.string(l.decl.name)
        if interpreter.program.isPrelude(l.decl.nameRange) {
          if kind == "Linear", case .int(let i) = l.params[names.intern("in_features")] ?? .none { return (i, nil) }
          if kind == "RMSNorm", case .int(let i) = l.params[names.intern("dim")] ?? .none { return (i, nil) }
          if kind == "Embedding", case .int(let n) = l.params[names.intern("num_embeddings")] ?? .none { return (nil, n) }
        }
        stack.append(contentsOf: l.decl.fields.reversed().compactMap { l.fields[$0.name] })
      default: break
      }
    }
    return (nil, nil)
  }

  /// Seeded input of `tokens` rows (token ids when the model starts with an Embedding).
  public func randomInput() throws -> Tensor {
    let (width, vocabulary) = inputWidth()
    var state = settings.seed ^ 0x1234_5678
    if let vocabulary {
      return Tensor(shape: [settings.tokens], data: (0..<settings.tokens).map { _ in
        Float(Int(splitmix64(&state) % UInt64(max(1, vocabulary))))
      })
    }
    guard let width else {
      throw RuntimeError(message: "cannot infer the input width", range: nil,
                         rendered: "error: cannot infer the model's input width; pass --input")
    }
    return Tensor(shape: [settings.tokens, width], data: (0..<(settings.tokens * width)).map { _ in
      Float(splitmix64(&state) >> 40) / Float(1 << 24) * 2 - 1
    })
  }

  /// Runs `forward` on `input`.
  public func run(_ input: Tensor) throws -> Report {
    let program = interpreter.program
    let names = program.names
    guard let forward = root.decl.methodsByName[names.intern("forward")] else {
      throw interpreter.error("the model's layer '\(names.string(root.decl.name))' has no 'forward' method", at: root.decl.nameRange)
    }
    guard ["prefill", "decode"].contains(settings.phase) else {
      throw RuntimeError(message: "bad phase", range: nil, rendered: "error: --phase must be prefill or decode")
    }
    let tokens = input.rank >= 2 ? input.rows : input.count
    var chunks = 1
    if let size = settings.chunkSize {
      guard size > 0 else { throw RuntimeError(message: "bad chunk size", range: nil, rendered: "error: --chunk-size must be positive") }
      chunks = tokens > size ? (tokens + size - 1) / size : 1
    }
    var args: [Value] = []
    var tensorGiven = false
    for (i, p) in forward.params.enumerated() {
      let t = forward.paramTypes[i]
      if t.nonNil == .tensor && !tensorGiven {
        args.append(.tensor(TensorRef(input)))
        tensorGiven = true
      } else if let c = t.contextDecl {
        var fields: [Name: Value] = [:]
        for f in c.fields { fields[f.name] = try f.defaultValue.map { try interpreter.eval($0, Frame(instance: nil)) } ?? Value.none }
        if program.isPrelude(c.nameRange) && names.string(c.name) == "ForwardMeta" {
          fields[names.intern("moe_phase")] = .string(settings.phase)
          fields[names.intern("moe_num_chunk")] = .int(chunks)
          fields[names.intern("max_moe_num_chunk")] = .int(chunks)
        }
        args.append(.record(RecordValue(decl: c, fields: fields)))
      } else if let d = p.defaultValue {
        args.append(try interpreter.eval(d, Frame(instance: nil)))
      } else {
        throw interpreter.error("cannot supply parameter '\(names.string(p.name))' of the model's forward", at: p.nameRange)
      }
    }
    var seconds = Double.infinity
    var result = Value.none
    for _ in 0..<max(1, settings.repeats) {
      let start = DispatchTime.now().uptimeNanoseconds
      result = try interpreter.invoke(root, arguments: args)
      seconds = min(seconds, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    guard case .tensor(let out) = result else {
      throw interpreter.error("the model's forward returned \(result.kindName), not a Tensor", at: forward.nameRange)
    }
    var hit: [(String, Int, Int)] = []
    for (path, set) in interpreter.expertsHit.sorted(by: { $0.key < $1.key }) {
      let total = interpreter.expertTotals[path] ?? set.count
      hit.append((path.isEmpty ? "<root>" : path, set.count, total))
    }
    let modelName = settings.model ?? program.models.first { !program.isPrelude($0.nameRange) }.map { names.string($0.name) } ?? "?"
    let others = program.models.filter { !program.isPrelude($0.nameRange) }.count - 1
    return Report(modelName: modelName, input: input, output: out.tensor, seconds: seconds, chunks: chunks,
                  expertsHit: hit, otherModels: settings.model == nil ? max(0, others) : 0, loadSeconds: loadSeconds)
  }
}
