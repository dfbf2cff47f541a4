import Foundation

/// Write-behind to the remote cache: built nodes' objects and entries go up on a thread of their
/// own while the build goes on, through a queue of at most `capacity` uploads (a worker that
/// would exceed it waits, so a slow server slows the build instead of filling memory). The
/// build waits for the queue at its end (`finish`). Each upload puts the object first and the
/// entry after it, so no machine ever sees an entry whose object is missing.
final class RemoteUploadQueue {
    struct Upload {
        var id: NodeID
        var key: Digest
        var objectPath: String
        var entry: RemoteEntry
        /// Over a damaged copy on the server.
        var replacing: Bool
    }

    private let engine: Engine
    private let observer: BuildObserver?
    private let capacity: Int
    private let condition = NSCondition()
    private var pending: [Upload] = []
    private var finishing = false
    private let done = DispatchSemaphore(value: 0)

    init(engine: Engine, observer: BuildObserver?, capacity: Int = 8) {
        self.engine = engine
        self.observer = observer
        self.capacity = capacity
        let thread = Thread { [unowned self] in self.drain() }
        thread.start()
    }

    /// Queues an upload; waits while the queue is full.
    func add(_ upload: Upload) {
        condition.lock()
        while pending.count >= capacity { condition.wait() }
        pending.append(upload)
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until everything queued is up (or the remote was given up), then stops the thread.
    /// Later calls return at once.
    func finish() {
        condition.lock()
        let first = !finishing
        finishing = true
        condition.broadcast()
        condition.unlock()
        if first { done.wait() }
    }

    private func drain() {
        while true {
            condition.lock()
            while pending.isEmpty && !finishing { condition.wait() }
            if pending.isEmpty {
                condition.unlock()
                done.signal()
                return
            }
            let upload = pending.removeFirst()
            condition.broadcast()
            condition.unlock()
            send(upload)
        }
    }

    private func send(_ upload: Upload) {
        // Once the remote has failed, the rest of the queue is dropped quietly: one warning said it.
        guard let remote = engine.remote, remote.upload else { return }
        do {
            try remote.cache.upload(upload.objectPath, as: upload.entry.output, replacing: upload.replacing)
            try remote.cache.publish(upload.entry, for: upload.key)
            engine.count(uploaded: upload.entry.size)
        } catch {
            if let warning = engine.remoteFailed(error) { observer?.handle(.warning(upload.id, message: warning)) }
        }
    }
}

/// One observer shared by threads that may report at the same time (build workers, the upload
/// queue): their events reach it one at a time.
final class SerializedObserver: BuildObserver {
    private let wrapped: BuildObserver
    private let lock = NSLock()

    init(_ wrapped: BuildObserver) { self.wrapped = wrapped }

    func handle(_ event: BuildEvent) {
        lock.lock()
        wrapped.handle(event)
        lock.unlock()
    }
}
