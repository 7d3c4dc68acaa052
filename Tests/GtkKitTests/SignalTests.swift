import CGtk
import GtkKit
import Testing

@Suite("Signals and actions")
@MainActor
struct SignalTests {
    @Test func closureRunsOnEmissionAndIsReleasedOnDisconnect() {
        final class Witness { var calls = 0 }
        weak var weakWitness: Witness?
        let action = ObjectRef(adopting: g_simple_action_new("save", nil).raw)
        do {
            let witness = Witness()
            weakWitness = witness
            let id = Signal.connect(action.pointer, "activate") { (_: UnsafeMutableRawPointer?) in witness.calls += 1 }
            g_action_activate(action.pointer.opaque, nil)
            g_action_activate(action.pointer.opaque, nil)
            #expect(witness.calls == 2)
            Signal.disconnect(action.pointer, id)
        }
        // The box holding the closure (and so the witness) went with the handler.
        #expect(weakWitness == nil)
    }

    @Test func closureIsReleasedWhenTheObjectDies() {
        final class Witness {}
        weak var weakWitness: Witness?
        do {
            let action = ObjectRef(adopting: g_simple_action_new("open", nil).raw)
            let witness = Witness()
            weakWitness = witness
            Signal.connect(action.pointer, "activate") { (_: UnsafeMutableRawPointer?) in _ = witness }
        }
        #expect(weakWitness == nil)
    }

    @Test func sinkingTakesOwnershipOfAFloatingReference() {
        // A GtkAdjustment is a GInitiallyUnowned like every widget, and needs no display.
        let label = UnsafeMutableRawPointer(gtk_adjustment_new(0, 0, 1, 1, 1, 1)!)
        #expect(g_object_is_floating(label) != 0)
        var finalized = false
        withUnsafeMutablePointer(to: &finalized) { flag in
            do {
                let owned = ObjectRef(sinking: label)
                #expect(g_object_is_floating(owned.pointer) == 0)
                g_object_weak_ref(owned.pointer.as(GObject.self), { data, _ in
                    data!.assumingMemoryBound(to: Bool.self).pointee = true
                }, flag)
            }
        }
        #expect(finalized)
    }
}
