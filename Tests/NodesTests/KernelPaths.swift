import CLookKernels
import XCTest

/// The C kernels' code paths. Bit-for-bit tests run once per path, each as its own test, so the
/// log says which paths ran; a path the CPU lacks is reported as skipped, with the reason.
enum KernelPath: Int32, CaseIterable {
    case sse2 = 0, avx2 = 1, avx512 = 2

    var name: String { String(cString: look_kernels_path_name(rawValue)) }

    /// Runs `body` with the kernels limited to this path (the widest again afterwards).
    func run(_ body: () throws -> Void) throws {
        let best = look_kernels_best_path()
        guard rawValue <= best else {
            throw XCTSkip("this CPU has no \(name) (its widest path is \(String(cString: look_kernels_path_name(best))))")
        }
        look_kernels_limit(rawValue)
        defer { look_kernels_limit(KernelPath.avx512.rawValue) }
        XCTAssertEqual(look_kernels_path(), rawValue, "the kernels run the \(name) path")
        try body()
    }
}
