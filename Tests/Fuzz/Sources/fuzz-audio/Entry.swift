import FuzzTargets
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzTarget.audio.run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}
