"""Sample inputs shared by the enrichment and stream tests."""

# A workspace's own complaint taxonomy (an online shop): what an analyst would paste into the settings.
SHOP_TAXONOMY = """
name: shop
description: An online shop's own categories.
categories:
  - id: late_parcel
    label: Late parcel
    description: The parcel has not arrived, the delivery is late or tracking shows no progress.
    examples: ["my parcel still has not arrived", "where is my order", "delivery is two weeks late"]
  - id: wrong_item
    label: Wrong item
    description: The customer received a different product, size or colour than ordered.
    examples: ["you sent me the wrong size", "this is not what I ordered", "received a blue one, ordered red"]
"""
