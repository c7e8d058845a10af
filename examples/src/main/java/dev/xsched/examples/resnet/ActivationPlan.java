package dev.xsched.examples.resnet;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which device buffer ("slot") holds each intermediate tensor of a forward pass. All slots have
 * one size, the largest intermediate tensor's, so any tensor fits any slot; a slot is reused as
 * soon as the last layer reading its tensor has been enqueued (kernels of one queue run in order,
 * so the next writer cannot overtake that reader). The network's input and output keep buffers
 * of their own, so that inputs can be uploaded and logits read at any time.
 *
 * <p>ResNets need 3 slots: a block's input (or its downsampled shortcut) stays live while its
 * branch computes two more tensors.
 *
 * @param slotOfTensor          tensor id to slot index, for every intermediate tensor
 * @param slots                 the number of slots
 * @param slotElementsPerImage  the size of each slot, per image of the batch, in floats
 */
public record ActivationPlan(Map<Integer, Integer> slotOfTensor, int slots, long slotElementsPerImage) {
    public ActivationPlan {
        slotOfTensor = Map.copyOf(slotOfTensor);
    }

    /** The slot of {@code tensor}, or empty for the network's input and output. */
    public Optional<Integer> slotOf(Tensor tensor) {
        return Optional.ofNullable(slotOfTensor.get(tensor.id()));
    }

    public static ActivationPlan of(Network network) {
        List<Layer> layers = network.layers();
        Map<Integer, Integer> lastReader = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Tensor t : layers.get(i).inputs()) {
                lastReader.put(t.id(), i);
            }
        }
        int inputId = network.input().id();
        int outputId = network.output().id();
        Map<Integer, Integer> slotOf = new HashMap<>();
        Deque<Integer> free = new ArrayDeque<>();
        int slots = 0;
        long largest = 0;
        for (int i = 0; i < layers.size(); i++) {
            Tensor out = layers.get(i).output();
            if (out.id() != outputId) {
                // Taken before this layer's inputs are released: a kernel never writes the slot it reads.
                int slot = free.isEmpty() ? slots++ : free.pop();
                slotOf.put(out.id(), slot);
                largest = Math.max(largest, out.elementsPerImage());
            }
            for (Tensor in : layers.get(i).inputs()) {
                if (in.id() != inputId && lastReader.get(in.id()) == i && !free.contains(slotOf.get(in.id()))) {
                    free.push(slotOf.get(in.id()));
                }
            }
            if (out.id() != outputId && !lastReader.containsKey(out.id())) {
                free.push(slotOf.get(out.id()));    // written but never read: free at once
            }
        }
        return new ActivationPlan(slotOf, slots, largest);
    }
}
