import Reference
import ModelDSL

/// Binds the prelude's `extern func`s to `Primitives` for the interpreter, converting values and turning a
/// `PrimitiveError` into a `RuntimeError` at the call.
struct Builtins {
  unowned let interpreter: Interpreter

  init(interpreter: Interpreter) { self.interpreter = interpreter }

  func fail(_ message: String, _ range: SourceRange) -> RuntimeError { interpreter.error(message, at: range) }

  func tensor(_ v: Value, _ what: String, _ r: SourceRange) throws -> TensorRef {
    guard case .tensor(let t) = v else { throw fail("\(what) must be a Tensor, not \(v.kindName)", r) }
    return t
  }

  func number(_ v: Value, _ what: String, _ r: SourceRange) throws -> Double {
    switch v {
    case .int(let i): return Double(i)
    case .float(let d): return d
    default: throw fail("\(what) must be a number", r)
    }
  }

  func int(_ v: Value, _ what: String, _ r: SourceRange) throws -> Int {
    guard case .int(let i) = v else { throw fail("\(what) must be an Int", r) }
    return i
  }

  func call(_ f: FuncDecl, _ args: [Value], at r: SourceRange, callee: SourceRange) throws -> Value {
    let name = interpreter.program.names.string(f.name)
    guard interpreter.program.isPrelude(f.nameRange) else {
      throw fail("extern '\(name)' has no implementation in the executor (only the prelude's externs run)", callee)
    }
    do {
      return try dispatch(name, args, r)
    } catch let e as PrimitiveError {
      throw fail(e.message, r)
    }
  }

  func dispatch(_ name: String, _ a: [Value], _ r: SourceRange) throws -> Value {
    let threads = interpreter.threads
    func t(_ i: Int) throws -> TensorRef { try tensor(a[i], "argument \(i + 1)", r) }
    switch name {
    case "parameter":
      guard case .string(let local) = a[0], case .list(let dims) = a[1] else {
        throw fail("parameter(name, shape) needs a String and a list of Int", r)
      }
      let shape = try dims.map { d -> Int in
        guard case .int(let n) = d, n >= 0 else { throw fail("a parameter's shape needs non-negative Int sizes", r) }
        return n
      }
      let context = BuildContext(weights: interpreter.weights, path: interpreter.instanceStack.last?.path ?? "")
      do {
        return .tensor(try context.parameter(local, shape))
      } catch let e as WeightSource.Failure {
        throw fail(e.description, r)
      }
    case "linear":
      var bias: TensorRef?
      if case .tensor(let b) = a[2] { bias = b }
      return .tensor(try Primitives.linear(t(0), t(1), bias, threads: threads))
    case "rms_norm": return .tensor(try Primitives.rmsNorm(t(0), t(1), number(a[2], "eps", r)))
    case "embedding": return .tensor(try Primitives.embedding(t(0), t(1)))
    case "silu": return .tensor(Primitives.silu(try t(0)))
    case "gelu": return .tensor(Primitives.gelu(try t(0)))
    case "sigmoid": return .tensor(Primitives.sigmoid(try t(0)))
    case "softmax": return .tensor(Primitives.softmax(try t(0)))
    case "swiglu_oai":
      return .tensor(try Primitives.swigluOAI(t(0), alpha: number(a[1], "alpha", r), limit: number(a[2], "limit", r)))
    case "rows": return .int(Primitives.rows(try t(0)))
    case "split_rows": return .list(try Primitives.splitRows(t(0), int(a[1], "parts", r)).map { .tensor($0) })
    case "concat_rows":
      guard case .list(let items) = a[0] else { throw fail("concat_rows needs a list", r) }
      return .tensor(try Primitives.concatRows(items.map { try tensor($0, "each part", r) }))
    case "empty_rows": return .tensor(Primitives.emptyRows(try t(0)))
    case "to_string": return .string(Primitives.toString(try int(a[0], "value", r)))
    case "moe_experts":
      guard case .layer(let moe) = a[2] else { throw fail("moe must be a FusedMoE layer", r) }
      guard case .string(let phase) = a[3] else { throw fail("the MoE phase must be a String", r) }
      let interp = interpreter
      return .tensor(try MoEPrimitive.run(t(0), t(1), moe, phase: phase, threads: threads) { config, ids in
        interp.expertsHit[moe.path, default: []].formUnion(ids)
        interp.expertTotals[moe.path] = config.numExperts
      })
    default:
      throw fail("extern '\(name)' has no implementation in the executor", r)
    }
  }
}

extension LayerInstance: MoEFields {
  public func moeField(_ name: String) -> MoEValue {
    let value = lookup(name)
    switch value {
    case .int(let i): return .int(i)
    case .float(let d): return .float(d)
    case .bool(let b): return .bool(b)
    case .string(let s): return .string(s)
    case .tensor(let t): return .tensor(t)
    case .list(let items):
      var out: [TensorRef] = []
      for item in items {
        guard case .tensor(let t) = item else { return .none }
        out.append(t)
      }
      return .tensors(out)
    default: return .none
    }
  }
}
