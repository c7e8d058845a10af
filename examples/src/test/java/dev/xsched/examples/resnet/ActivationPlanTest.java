package dev.xsched.examples.resnet;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ActivationPlanTest {
    @Test
    void resNetsNeedThreeSlotsOfTheStemsOutputSize() {
        for (ResNetArchitecture a : ResNetArchitecture.values()) {
            ActivationPlan plan = ActivationPlan.of(a.network());
            assertThat(plan.slots()).as(a.modelName()).isEqualTo(3);
            long stemOutput = 64L * 112 * 112;
            assertThat(plan.slotElementsPerImage()).as(a.modelName()).isEqualTo(stemOutput);
        }
    }

    @Test
    void noLayerOverwritesATensorThatIsStillToBeRead() {
        for (ResNetArchitecture a : ResNetArchitecture.values()) {
            Network network = a.network();
            ActivationPlan plan = ActivationPlan.of(network);
            List<Layer> layers = network.layers();
            Map<Integer, Integer> lastReader = new HashMap<>();
            for (int i = 0; i < layers.size(); i++) {
                for (Tensor t : layers.get(i).inputs()) {
                    lastReader.put(t.id(), i);
                }
            }
            Map<Integer, Integer> holder = new HashMap<>();     // slot -> tensor id it holds
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                for (Tensor in : layer.inputs()) {
                    plan.slotOf(in).ifPresent(slot -> assertThat(holder.get(slot)).as(layer.name() + " reads " + in)
                            .isEqualTo(in.id()));
                }
                final int index = i;
                plan.slotOf(layer.output()).ifPresent(slot -> {
                    Integer previous = holder.get(slot);
                    if (previous != null) {
                        assertThat(lastReader.getOrDefault(previous, -1)).as(layer.name() + " overwrites t" + previous)
                                .isLessThanOrEqualTo(index);
                        assertThat(layer.inputs().stream().map(Tensor::id)).doesNotContain(previous);
                    }
                    holder.put(slot, layer.output().id());
                });
            }
        }
    }

    @Test
    void theInputAndTheLogitsHaveBuffersOfTheirOwn() {
        Network network = ResNetArchitecture.RESNET18.network();
        ActivationPlan plan = ActivationPlan.of(network);
        assertThat(plan.slotOf(network.input())).isEmpty();
        assertThat(plan.slotOf(network.output())).isEmpty();
    }
}
