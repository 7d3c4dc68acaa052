import CGtk
import GtkKit
import Testing

/// What the model told GTK: every `items-changed` emission.
@MainActor
final class ItemsChangedRecorder {
    var emissions: [(position: UInt32, removed: UInt32, added: UInt32)] = []

    init(model: RowIDListModel) {
        let trampoline: @convention(c) (gpointer?, guint, guint, guint, gpointer?) -> Void = { _, position, removed, added, data in
            MainActor.assumeIsolated {
                Unmanaged<ItemsChangedRecorder>.fromOpaque(data!).takeUnretainedValue()
                    .emissions.append((position, removed, added))
            }
        }
        g_signal_connect_data(
            model.object.pointer, "items-changed", unsafeBitCast(trampoline, to: GCallback.self),
            Unmanaged.passUnretained(self).toOpaque(), nil, GConnectFlags(rawValue: 0))
    }
}

@MainActor
private func items(of model: RowIDListModel) -> [String] {
    let list = model.object.pointer.opaque
    return (0..<g_list_model_get_n_items(list)).map { position in
        let item = g_list_model_get_item(list, position)!
        defer { g_object_unref(item) }
        return RowIDListModel.rowID(ofItem: item)!
    }
}

@Suite("RowIDListModel")
@MainActor
struct RowIDListModelTests {
    @Test func servesRowsThroughGListModel() {
        let model = RowIDListModel()
        model.replaceAll(with: ["a", "b", "c"])
        #expect(items(of: model) == ["a", "b", "c"])
        #expect(g_list_model_get_item_type(model.object.pointer.opaque) == gtk_string_object_get_type())
        #expect(g_list_model_get_item(model.object.pointer.opaque, 3) == nil)
    }

    @Test func replaceAllSplicesOnlyTheDifference() {
        let model = RowIDListModel()
        let recorder = ItemsChangedRecorder(model: model)
        model.replaceAll(with: ["a", "b", "c", "d", "e"])
        model.replaceAll(with: ["a", "b", "x", "e"])  // c, d → x
        model.replaceAll(with: ["a", "b", "x", "e"])  // nothing changed: no emission
        model.replaceAll(with: [])
        #expect(recorder.emissions.map { [$0.position, $0.removed, $0.added] } == [[0, 0, 5], [2, 2, 1], [0, 4, 0]])
        #expect(items(of: model).isEmpty)
    }

    @Test func spliceInsertsAndRemovesAtPosition() {
        let model = RowIDListModel()
        model.splice(at: 0, removing: 0, inserting: ["1", "2", "3"])
        model.splice(at: 1, removing: 1, inserting: ["9", "8"])
        #expect(items(of: model) == ["1", "9", "8", "3"])
        #expect(model.id(at: 3) == "3")
        #expect(model.id(at: 4) == nil)
    }

    @Test func replaceAllProperty() {
        // Whatever the old and new lists, after replaceAll the model holds exactly the new
        // one, and the single emission's counts add up.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let model = RowIDListModel()
            let old = (0..<Int.random(in: 0...8, using: &generator)).map { _ in String(Int.random(in: 0...5, using: &generator)) }
            let new = (0..<Int.random(in: 0...8, using: &generator)).map { _ in String(Int.random(in: 0...5, using: &generator)) }
            model.replaceAll(with: old)
            let recorder = ItemsChangedRecorder(model: model)
            model.replaceAll(with: new)
            #expect(items(of: model) == new)
            #expect(recorder.emissions.count <= 1)
            if let emission = recorder.emissions.first {
                #expect(old.count - Int(emission.removed) + Int(emission.added) == new.count)
            }
        }
    }

    @Test func modelIsFinalizedWhenTheLastReferenceGoes() {
        var finalized = false
        withUnsafeMutablePointer(to: &finalized) { flag in
            do {
                let model = RowIDListModel()
                model.replaceAll(with: ["a"])
                g_object_weak_ref(model.object.pointer.as(GObject.self), { data, _ in
                    data!.assumingMemoryBound(to: Bool.self).pointee = true
                }, flag)
            }
        }
        #expect(finalized)
    }
}
