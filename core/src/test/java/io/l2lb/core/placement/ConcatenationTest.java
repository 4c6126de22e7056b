package io.l2lb.core.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConcatenationTest {
  static Stream<Arguments> parts() {
    return Stream.of(
        Arguments.of(List.of()),
        Arguments.of(List.of(List.of())),
        Arguments.of(List.of(List.of(), List.of())),
        Arguments.of(List.of(List.of("a"))),
        Arguments.of(List.of(List.of(), List.of("a", "b"), List.of(), List.of(), List.of("c"))),
        Arguments.of(List.of(List.of("a"), List.of(), List.of("b", "c", "d"), List.of())));
  }

  @ParameterizedTest
  @MethodSource("parts")
  void readsLikeTheCopiedList(List<List<String>> parts) {
    List<String> copied = new ArrayList<>();
    parts.forEach(copied::addAll);
    Concatenation<String> view = new Concatenation<>(parts);

    assertThat(view).hasSize(copied.size()).isEqualTo(copied).containsExactlyElementsOf(copied);
    assertThat(view.hashCode()).isEqualTo(copied.hashCode());
    for (int i = 0; i < copied.size(); i++) {
      assertThat(view.get(i)).isEqualTo(copied.get(i));
    }
    assertThatThrownBy(() -> view.get(copied.size())).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> view.add("x")).isInstanceOf(UnsupportedOperationException.class);
  }
}
