// A pre-order walk over a tree-sitter tree, and a node's child list, that visit the same nodes
// as `TSTreeCursor` in the same order, with less work per step (see `mod.rs`).
//
// `ts_tree_cursor_goto_next_sibling` rebuilds its child iterator from the cursor's stack on
// every call and steps past the current child again before it reaches the next one: about 450
// instructions a sibling on real files. This walk keeps one iterator per level, so a step is
// one advance. It reads tree-sitter's internal subtree layout through its own headers (the
// crate's `src/`, pinned by `Cargo.lock`); `mod.rs`'s tests compare both walks node by node.
#include "tree_sitter/api.h"
#include "language.h"
#include "subtree.h"
#include "tree.h"
#include <stdlib.h>

typedef struct {
  Subtree parent;
  const TSSymbol *alias_sequence;
  Length position;  // where the next child starts (its padding excluded)
  uint32_t child_index;
  uint32_t structural_child_index;
  uint32_t depth;  // depth of the visible nodes this level yields
  // Whether `parent` is a visible node (else its children are lifted into the level above).
  bool visible;
  // `parent`'s structural index in the level above, for field ids.
  uint32_t own_structural_index;
  bool own_extra;
} SfFrame;

typedef struct {
  const TSTree *tree;
  SfFrame *frames;
  uint32_t len, cap;
  // The node the last `sf_walk_next` returned, entered on the next call if asked.
  Subtree pending;
  Length pending_position;
  uint32_t pending_depth;
  bool has_pending;
  bool started;
  TSNode root;
} SfWalk;

static bool sf_push(SfWalk *w, Subtree parent, Length position, uint32_t depth, bool visible,
                    uint32_t own_structural_index, bool own_extra) {
  if (w->len == w->cap) {
    uint32_t cap = w->cap ? w->cap * 2 : 64;
    SfFrame *f = realloc(w->frames, (size_t)cap * sizeof(SfFrame));
    if (!f) return false;
    w->frames = f;
    w->cap = cap;
  }
  w->frames[w->len++] = (SfFrame){
    .parent = parent,
    .alias_sequence =
      ts_language_alias_sequence(w->tree->language, ts_subtree_production_id(parent)),
    .position = position,
    .child_index = 0,
    .structural_child_index = 0,
    .depth = depth,
    .visible = visible,
    .own_structural_index = own_structural_index,
    .own_extra = own_extra,
  };
  return true;
}

// One child of the top frame `f` (which has one left): the child, where it starts, its
// structural index, whether it is extra and visible, and its alias; `f` moves past it. Returns
// the byte where the child ends.
typedef struct {
  const Subtree *child;
  Length position;
  uint32_t structural_index;
  bool extra, visible;
  TSSymbol alias;
} SfStep;

static inline uint32_t sf_advance(SfFrame *f, uint32_t count, SfStep *s) {
  const Subtree *children = ts_subtree_children(f->parent);
  s->child = &children[f->child_index];
  s->position = f->position;
  s->structural_index = f->structural_child_index;
  s->extra = ts_subtree_extra(*s->child);
  s->visible = ts_subtree_visible(*s->child);
  s->alias = 0;
  if (!s->extra) {
    if (f->alias_sequence) {
      s->alias = f->alias_sequence[s->structural_index];
      s->visible |= s->alias != 0;
    }
    f->structural_child_index++;
  }
  f->position = length_add(f->position, ts_subtree_size(*s->child));
  f->child_index++;
  uint32_t end = f->position.bytes;
  if (f->child_index < count) {
    f->position = length_add(f->position, ts_subtree_padding(children[f->child_index]));
  }
  return end;
}

SfWalk *sf_walk_new(TSNode root) {
  SfWalk *w = calloc(1, sizeof(SfWalk));
  if (!w) return NULL;
  w->tree = root.tree;
  w->root = root;
  return w;
}

void sf_walk_free(SfWalk *w) {
  if (!w) return;
  free(w->frames);
  free(w);
}

// The next node in pre-order: 1 with `*out` and `*depth` set, 0 at the end, -1 out of memory.
// `enter` says whether to walk under the node the previous call returned; nodes that end at
// or before byte `skip_before` are stepped over without being returned (0: none are).
int sf_walk_next(SfWalk *w, bool enter, uint32_t skip_before, TSNode *out, uint32_t *depth) {
  if (!w->started) {
    w->started = true;
    const Subtree *root = (const Subtree *)w->root.id;
    w->pending = *root;
    w->pending_position =
      (Length){w->root.context[0], {w->root.context[1], w->root.context[2]}};
    w->pending_depth = 0;
    w->has_pending = true;
    *out = w->root;
    *depth = 0;
    return 1;
  }
  if (w->has_pending && enter && ts_subtree_child_count(w->pending) > 0) {
    // The walk needs no field ids, so no frame's place in its parent.
    if (!sf_push(w, w->pending, w->pending_position, w->pending_depth + 1, true, 0, false))
      return -1;
  }
  w->has_pending = false;
  while (w->len > 0) {
    SfFrame *f = &w->frames[w->len - 1];
    uint32_t count = ts_subtree_child_count(f->parent);
    if (f->child_index >= count) {
      w->len--;
      continue;
    }
    SfStep st;
    uint32_t end = sf_advance(f, count, &st);
    const Subtree *child = st.child;
    Length position = st.position;
    uint32_t structural_index = st.structural_index;
    bool extra = st.extra, visible = st.visible;
    TSSymbol alias = st.alias;
    if (end <= skip_before && skip_before > 0) continue;
    uint32_t d = f->depth;
    if (visible) {
      w->pending = *child;
      w->pending_position = position;
      w->pending_depth = d;
      w->has_pending = true;
      *out = ts_node_new(w->tree, child, position, alias);
      *depth = d;
      return 1;
    }
    // A hidden node: its children belong to this level.
    if (ts_subtree_visible_child_count(*child) > 0) {
      if (!sf_push(w, *child, position, d, false, structural_index, extra)) return -1;
    }
  }
  return 0;
}

// A child as `sf_children` lists it.
typedef struct {
  TSNode node;
  TSFieldId field;
} SfKid;

// The field id of a child at structural index `index` of `parent` (0: none, or inherited).
static TSFieldId sf_field_at(const TSLanguage *lang, Subtree parent, uint32_t index) {
  const TSFieldMapEntry *map, *end;
  ts_language_field_map(lang, ts_subtree_production_id(parent), &map, &end);
  for (; map < end; map++) {
    if (!map->inherited && map->child_index == index) return map->field_id;
  }
  return 0;
}

// Lists, with `scratch`'s frame stack (a walker from `sf_walk_new`, reused from list to list),
// `node`'s children as `ts_tree_cursor_goto_first_child`/`goto_next_sibling` visit them,
// each with the field id `ts_tree_cursor_current_field_id` gives it, into `out` (room for
// `cap`). Returns how many there are (more than `cap`: call again with more room), or -1 out of
// memory.
int64_t sf_children(SfWalk *scratch, TSNode node, SfKid *out, uint32_t cap) {
  SfWalk w = *scratch;
  w.len = 0;
  w.tree = node.tree;
  const Subtree *self = (const Subtree *)node.id;
  if (ts_subtree_child_count(*self) == 0) return 0;
  Length start = {node.context[0], {node.context[1], node.context[2]}};
  if (!sf_push(&w, *self, start, 1, true, 0, false)) {
    *scratch = w;
    return -1;
  }
  int64_t n = 0;
  while (w.len > 0) {
    SfFrame *f = &w.frames[w.len - 1];
    uint32_t count = ts_subtree_child_count(f->parent);
    if (f->child_index >= count) {
      w.len--;
      continue;
    }
    SfStep st;
    (void)sf_advance(f, count, &st);
    const Subtree *child = st.child;
    Length position = st.position;
    uint32_t structural_index = st.structural_index;
    bool extra = st.extra, visible = st.visible;
    TSSymbol alias = st.alias;
    if (visible) {
      if ((uint64_t)n < cap) {
        // The field: from this level's parent, then up through the hidden levels, as the
        // cursor looks (an extra node has none).
        TSFieldId field = 0;
        if (!extra) {
          field = sf_field_at(w.tree->language, f->parent, structural_index);
          for (uint32_t i = w.len - 1; field == 0 && i > 0; i--) {
            SfFrame *level = &w.frames[i];
            if (level->visible || level->own_extra) break;
            field = sf_field_at(w.tree->language, w.frames[i - 1].parent,
                                level->own_structural_index);
          }
        }
        out[n] = (SfKid){ts_node_new(w.tree, child, position, alias), field};
      }
      n++;
      continue;
    }
    if (ts_subtree_visible_child_count(*child) > 0) {
      if (!sf_push(&w, *child, position, 1, false, structural_index, extra)) {
        *scratch = w;
        return -1;
      }
    }
  }
  // The frame stack stays with the scratch walker for the next list.
  *scratch = w;
  return n;
}
