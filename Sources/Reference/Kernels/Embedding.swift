// Embedding lookup: out[t, :] = table[ids[t], :]. ids [T], table [V, H] -> [T, H].

/// Reference embedding lookup with plain loops. Every id must be in 0..<V.
public func embeddingReference(ids: [Int], table: Tensor) -> Tensor {
  precondition(table.rank == 2, "embedding table must be [V, H], got \(table.shape)")
  let v = table.shape[0], h = table.shape[1]
  var out = Tensor(zeros: [ids.count, h])
  for (t, id) in ids.enumerated() {
    precondition(id >= 0 && id < v, "embedding: id \(id) outside 0..<\(v)")
    for j in 0..<h { out.data[t * h + j] = table.data[id * h + j] }
  }
  return out
}

/// Embedding lookup, fast path: one bulk row copy per token.
public func embedding(ids: [Int], table: Tensor) -> Tensor {
  precondition(table.rank == 2, "embedding table must be [V, H], got \(table.shape)")
  let v = table.shape[0], h = table.shape[1]
  var out: [Float] = []
  out.reserveCapacity(ids.count * h)
  for id in ids {
    precondition(id >= 0 && id < v, "embedding: id \(id) outside 0..<\(v)")
    out.append(contentsOf: table.data[id * h..<(id + 1) * h])
  }
  return Tensor(shape: [ids.count, h], data: out)
}
