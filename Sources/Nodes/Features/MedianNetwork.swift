import CFeatureKernels

/// Branch-free medians of `group` consecutive sliding windows of `kernel` values, as one min/max
/// program over `kernel + group - 1` consecutive inputs. Applied lane-wise to many medians at once
/// (CFeatureKernels runs it 8 lanes wide with AVX2, 4 with SSE2), it has no data-dependent branches
/// to mispredict, unlike sorting.
///
/// Neighbouring windows share all but `group - 1` of their values, so the program sorts the shared
/// values once (Batcher's odd–even merge sort), sorts each window's few extras, and picks each
/// median with the order-statistic identity below; comparators no median depends on are dropped.
/// For kernel 17 that is 124 min/max steps for one median alone, 130 for four (33 per median).
/// Every step selects one of its inputs, so the medians are exactly those of a sort.
struct MedianNetwork {
    let kernel: Int
    let group: Int
    var inputCount: Int { kernel + group - 1 }
    /// Steps in the CFeatureKernels encoding: values below `inputCount` are inputs, the rest slots.
    let program: [fk_min_max_op]
    let slotCount: Int
    /// The value holding each window's median.
    let outputs: [Int]

    init(kernel: Int, group: Int = 1) {
        precondition(kernel % 2 == 1, "median networks are for odd counts")
        precondition(group >= 1 && group <= kernel, "a group shares at least one value")
        self.kernel = kernel
        self.group = group
        let inputs = kernel + group - 1
        // Single-output steps in SSA form: step s defines value inputs + s.
        var steps: [(a: Int, b: Int, max: Bool)] = []
        func step(_ a: Int, _ b: Int, max: Bool) -> Int {
            steps.append((a, b, max))
            return inputs + steps.count - 1
        }
        func sorted(_ values: [Int]) -> [Int] {
            var wires = values
            for (i, j) in MedianNetwork.sortNetwork(count: wires.count) {
                (wires[i], wires[j]) = (step(wires[i], wires[j], max: false), step(wires[i], wires[j], max: true))
            }
            return wires
        }
        // Window j is inputs j ..< j + kernel; all windows share inputs group - 1 ..< kernel.
        let shared = sorted(Array((group - 1)..<kernel))
        let rank = kernel / 2
        var medians: [Int] = []
        for j in 0..<group {
            let extras = sorted(Array(j..<(group - 1)) + Array(kernel..<(kernel + j)))
            // The rank-r element of two sorted lists A, B is max over i of min(A[r - i], B[i]),
            // an index past either end standing for +∞.
            var median: Int?
            for i in 0...extras.count where rank - i >= 0 {
                let a = rank - i < shared.count ? shared[rank - i] : nil
                let b = i < extras.count ? extras[i] : nil
                let term: Int
                switch (a, b) {
                case let (a?, b?): term = step(a, b, max: false)
                case let (a?, nil): term = a
                case let (nil, b?): term = b
                case (nil, nil): continue
                }
                median = median.map { step($0, term, max: true) } ?? term
            }
            medians.append(median!)
        }
        // Keep the steps some median depends on, then give each value a slot, reusing the slots of
        // values no later step reads (a step may write over one of its own operands).
        var live = [Bool](repeating: false, count: steps.count)
        var pending = medians.filter { $0 >= inputs }
        while let v = pending.popLast() {
            guard !live[v - inputs] else { continue }
            live[v - inputs] = true
            pending += [steps[v - inputs].a, steps[v - inputs].b].filter { $0 >= inputs }
        }
        var lastUse = [Int](repeating: -1, count: inputs + steps.count)
        for s in steps.indices where live[s] { lastUse[steps[s].a] = s; lastUse[steps[s].b] = s }
        for m in medians { lastUse[m] = Int.max }
        var slotOf = [Int](repeating: -1, count: inputs + steps.count)
        var free: [Int] = [], slots = 0, program: [fk_min_max_op] = []
        func location(_ v: Int) -> Int32 { Int32(v < inputs ? v : inputs + slotOf[v]) }
        for s in steps.indices where live[s] {
            let (a, b, isMax) = steps[s]
            let operands = (location(a), location(b))
            for v in Set([a, b]) where v >= inputs && lastUse[v] == s { free.append(slotOf[v]) }
            free.sort(by: >)
            let slot = free.popLast() ?? { slots += 1; return slots - 1 }()
            slotOf[inputs + s] = slot
            program.append(fk_min_max_op(a: operands.0, b: operands.1, dst: Int32(inputs + slot), max: isMax ? 1 : 0))
        }
        self.program = program
        slotCount = slots
        outputs = medians.map { Int(location($0)) }
    }

    /// Runs the program over rows of `lanes` floats (a multiple of 8): `rows[m]` holds input m for
    /// every lane, `slots` has room for `slotCount` rows. Window j's medians are then at `median(j)`.
    func apply(rows: UnsafePointer<UnsafePointer<Float>?>, slots: UnsafeMutablePointer<Float>, lanes: Int) {
        program.withUnsafeBufferPointer { p in
            fk_min_max_program(p.baseAddress, p.count, rows, inputCount, slots, lanes)
        }
    }

    func median(_ j: Int, rows: UnsafePointer<UnsafePointer<Float>?>, slots: UnsafeMutablePointer<Float>, lanes: Int) -> UnsafePointer<Float> {
        let v = outputs[j]
        return v < inputCount ? rows[v]! : UnsafePointer(slots + (v - inputCount) * lanes)
    }

    /// Batcher's odd–even merge sort of `count` wires: the network for the next power of two, whose
    /// wires ≥ count carry +∞ and never move, so the comparators touching them are dropped.
    static func sortNetwork(count: Int) -> [(Int, Int)] {
        var size = 1
        while size < count { size *= 2 }
        var all: [(Int, Int)] = []
        sort(0, size - 1, into: &all)
        return all.filter { $0.1 < count }
    }

    private static func sort(_ lo: Int, _ hi: Int, into out: inout [(Int, Int)]) {
        guard hi - lo >= 1 else { return }
        let mid = lo + (hi - lo) / 2
        sort(lo, mid, into: &out)
        sort(mid + 1, hi, into: &out)
        merge(lo, hi, 1, into: &out)
    }

    private static func merge(_ lo: Int, _ hi: Int, _ r: Int, into out: inout [(Int, Int)]) {
        let step = r * 2
        if step < hi - lo {
            merge(lo, hi, step, into: &out)
            merge(lo + r, hi, step, into: &out)
            for i in Swift.stride(from: lo + r, to: hi - r, by: step) { out.append((i, i + r)) }
        } else {
            out.append((lo, lo + r))
        }
    }
}
