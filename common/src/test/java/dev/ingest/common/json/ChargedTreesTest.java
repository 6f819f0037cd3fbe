package dev.ingest.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.common.memory.MemoryBudget;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

class ChargedTreesTest {
    @Test
    void aDocumentIsTheSameTreeTheMapperReads() {
        String json = "{\"a\":[1,2.5,\"x\",true,null,{\"b\":{}}],\"big\":12345678901234567890,\"l\":9000000000}";
        try (MemoryBudget.Lease lease = new MemoryBudget(1 << 20).lease(1 << 20)) {
            ChargedTrees.Charged tree = ChargedTrees.readDocument(bytes(json), lease);
            assertThat(tree.node()).isEqualTo(Json.read(json));
            assertThat(lease.held()).isEqualTo(tree.cost()).isPositive();
        }
    }

    @Test
    void manySmallNodesAreChargedForTheirCountNotTheirBytes() {
        // 3 bytes of text per empty object, far more as a tree: refused before the tree exists.
        String json = "[" + "{},".repeat(100_000) + "{}]";
        try (MemoryBudget.Lease lease = new MemoryBudget(1L << 40).lease(100_001 * ChargedTrees.BYTES_PER_TOKEN)) {
            assertThatThrownBy(() -> ChargedTrees.readDocument(bytes(json), lease))
                    .isInstanceOf(MemoryBudget.RequestTooCostly.class);
            assertThat(lease.held()).isZero();
        }
    }

    @Test
    void trailingContentIsAnError() {
        try (MemoryBudget.Lease lease = new MemoryBudget(1 << 20).lease(1 << 20)) {
            assertThatThrownBy(() -> ChargedTrees.readDocument(bytes("{} {}"), lease)).isInstanceOf(JacksonException.class);
            assertThat(lease.held()).isZero();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
