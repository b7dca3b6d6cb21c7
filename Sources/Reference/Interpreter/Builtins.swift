import Foundation
import ModelDSL

/// The executor's implementations of the prelude's `extern func`s. Shapes are checked here, before any
/// kernel runs, so a mismatch is a `RuntimeError` naming the call, never a crash.
struct Builtins {
  unowned let interpreter: Interpreter
  /// Routing configuration and packed experts per FusedMoE instance, built on first use.
  var moeCache: [ObjectIdentifier: (MoEConfig, MoEExperts)] = [:]

  init(interpreter: Interpreter) { self.interpreter = interpreter }

  func fail(_ message: String, _ range: SourceRange) -> RuntimeError { interpreter.error(message, at: range) }

  func tensor(_ v: Value, _ what: String, _ r: SourceRange) throws -> Tensor {
    guard case .tensor(let t) = v else { throw fail("\(what) must be a Tensor, not \(v.kindName)", r) }
    return t.tensor
  }

  func float(_ v: Value) -> Float? {
    switch v {
    case .int(let i): return Float(i)
    case .float(let d): return Float(d)
    default: return nil
    }
  }

  mutating func call(_ f: FuncDecl, _ args: [Value], at r: SourceRange, callee: SourceRange) throws -> Value {
    let name = interpreter.program.names.string(f.name)
    let isPrelude = interpreter.program.isPrelude(f.nameRange)
    guard isPrelude else {
      throw fail("extern '\(name)' has no implementation in the executor (only the prelude's externs run)", callee)
    }
    let threads = interpreter.threads
    switch name {
    case "parameter":
      guard case .string(let local) = args[0], case .list(let dims) = args[1] else {
        throw fail("parameter(name, shape) needs a String and a list of Int", r)
      }
      var shape: [Int] = []
      for d in dims {
        guard case .int(let n) = d, n >= 0 else { throw fail("a parameter's shape needs non-negative Int sizes", r) }
        shape.append(n)
      }
      let owner = interpreter.instanceStack.last?.path ?? ""
      let full = interpreter.joinPath(owner, local)
      do {
        return .tensor(TensorRef(try interpreter.weights.tensor(full, shape: shape), parameterName: full))
      } catch let e as WeightSource.Failure {
        throw fail(e.description, r)
      }
    case "linear":
      guard case .tensor(let w) = args[1] else { throw fail("weight must be a Tensor", r) }
      let x = try tensor(args[0], "x", r)
      let wt = w.tensor
      guard wt.rank == 2 else { throw fail("a Linear weight must be [out, in], got \(wt.shape)", r) }
      guard x.cols == wt.shape[1] else {
        throw fail("input has \(x.cols) features per row (shape \(x.shape)) but the weight \(w.parameterName.map { "'\($0)' " } ?? "")expects \(wt.shape[1])", r)
      }
      let x2 = x.rank == 2 ? x : x.reshaped([x.rows, x.cols])
      var y = matmulTransposed(x2, w.packed, threads: threads)
      if case .tensor(let b) = args[2] {
        guard b.tensor.count == wt.shape[0] else { throw fail("bias has \(b.tensor.count) values for \(wt.shape[0]) outputs", r) }
        for row in 0..<y.rows { for c in 0..<y.cols { y.data[row * y.cols + c] += b.tensor.data[c] } }
      }
      return .tensor(TensorRef(y))
    case "rms_norm":
      let x = try tensor(args[0], "x", r)
      let w = try tensor(args[1], "weight", r)
      guard let eps = float(args[2]) else { throw fail("eps must be a number", r) }
      guard w.count == x.cols else { throw fail("RMSNorm over \(w.count) features applied to shape \(x.shape)", r) }
      return .tensor(TensorRef(rmsNorm(x.rank == 2 ? x : x.reshaped([x.rows, x.cols]), weight: w, eps: eps)))
    case "embedding":
      let ids = try tensor(args[0], "ids", r)
      let table = try tensor(args[1], "table", r)
      guard table.rank == 2 else { throw fail("an embedding table must be [V, H], got \(table.shape)", r) }
      var list: [Int] = []
      for v in ids.data {
        let i = Int(v)
        guard Float(i) == v, i >= 0, i < table.shape[0] else { throw fail("token id \(v) outside the vocabulary of \(table.shape[0])", r) }
        list.append(i)
      }
      return .tensor(TensorRef(embedding(ids: list, table: table)))
    case "silu": return .tensor(TensorRef(silu(try tensor(args[0], "x", r))))
    case "gelu": return .tensor(TensorRef(gelu(try tensor(args[0], "x", r))))
    case "sigmoid": return .tensor(TensorRef(sigmoid(try tensor(args[0], "x", r))))
    case "softmax":
      let x = try tensor(args[0], "x", r)
      return .tensor(TensorRef(softmax(x.rank == 2 ? x : x.reshaped([x.rows, x.cols]))))
    case "swiglu_oai":
      let x = try tensor(args[0], "x", r)
      guard x.cols % 2 == 0 else { throw fail("swiglu_oai needs an even number of columns, got \(x.shape)", r) }
      let x2 = x.reshaped([x.rows, x.cols])
      guard let alpha = float(args[1]), let limit = float(args[2]) else { throw fail("alpha and limit must be numbers", r) }
      if alpha == SwiGLUOAI.alpha && limit == SwiGLUOAI.limit { return .tensor(TensorRef(swigluOAI(x2))) }
      var y = Tensor(zeros: [x2.rows, x2.cols / 2])
      for t in 0..<x2.rows {
        for j in 0..<(x2.cols / 2) {
          let g = min(x2[t, 2 * j], limit)
          let u = max(-limit, min(x2[t, 2 * j + 1], limit))
          y[t, j] = (u + 1) * g / (1 + _exp(-alpha * g))
        }
      }
      return .tensor(TensorRef(y))
    case "rows":
      return .int(try tensor(args[0], "x", r).rows)
    case "split_rows":
      let x = try tensor(args[0], "x", r)
      guard case .int(let parts) = args[1], parts >= 1 else { throw fail("split_rows needs at least one part", r) }
      let x2 = x.reshaped([x.rows, x.cols])
      return .list(tensorSplitRanges(count: x2.rows, parts: parts).map { .tensor(TensorRef(x2.rows($0))) })
    case "concat_rows":
      guard case .list(let items) = args[0], !items.isEmpty else { throw fail("concat_rows needs a non-empty list", r) }
      let parts = try items.map { try tensor($0, "each part", r) }
      let cols = parts[0].cols
      guard parts.allSatisfy({ $0.cols == cols }) else {
        throw fail("concat_rows of parts with different widths \(parts.map { $0.shape })", r)
      }
      return .tensor(TensorRef(Tensor.concatRows(parts.map { $0.reshaped([$0.rows, cols]) }, cols: cols)))
    case "empty_rows":
      let x = try tensor(args[0], "like", r)
      return .tensor(TensorRef(Tensor(zeros: [0, x.cols])))
    case "to_string":
      guard case .int(let i) = args[0] else { throw fail("to_string needs an Int", r) }
      return .string(String(i))
    case "moe_experts":
      return try moeExperts(args, at: r)
    default:
      throw fail("extern '\(name)' has no implementation in the executor", callee)
    }
  }

  func _exp(_ x: Float) -> Float { Foundation.exp(x) }
}
