//! Which areas contain a point: an R-tree over the areas' bounding boxes, then an exact
//! point-in-polygon test (points on a boundary count as inside).

use baken_core::model::AreaKind;
use geo::{Intersects, MultiPolygon, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::RTree;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaRef {
    pub code: String,
    pub kind: AreaKind,
}

pub struct AreaIndex {
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    shapes: Vec<(AreaRef, MultiPolygon<f64>)>,
}

impl AreaIndex {
    pub fn new(shapes: Vec<(AreaRef, MultiPolygon<f64>)>) -> Self {
        use geo::BoundingRect;
        let boxes = shapes
            .iter()
            .enumerate()
            .filter_map(|(i, (_, mp))| {
                let r = mp.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect();
        Self {
            tree: RTree::bulk_load(boxes),
            shapes,
        }
    }

    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// The areas containing (`lon`, `lat`), at most one per kind (the lowest code where
    /// areas of one kind touch), ordered by kind.
    pub fn locate(&self, lon: f64, lat: f64) -> Vec<&AreaRef> {
        let point = Point::new(lon, lat);
        let mut hits: Vec<&AreaRef> = self
            .tree
            .locate_all_at_point(&[lon, lat])
            .filter_map(|entry| {
                let (area, shape) = &self.shapes[entry.data];
                shape.intersects(&point).then_some(area)
            })
            .collect();
        hits.sort_by(|a, b| (a.kind, &a.code).cmp(&(b.kind, &b.code)));
        hits.dedup_by(|a, b| a.kind == b.kind);
        hits
    }
}
