// swift-tools-version:5.10
// libFuzzer binaries over the readers of hostile input (Sources/FuzzTargets). Built by
// `make fuzz` with `-sanitize=fuzzer,address` into .build-fuzz; not part of the main build,
// whose executables need their own `main`.
import PackageDescription

let targets = ["buildfile", "safetensors", "audio", "image"]
let package = Package(
    name: "ntsbuild-fuzz",
    dependencies: [.package(name: "ntsbuild", path: "../..")],
    targets: targets.map { name in
        .executableTarget(name: "fuzz-\(name)", dependencies: [.product(name: "FuzzTargets", package: "ntsbuild")])
    }
)
