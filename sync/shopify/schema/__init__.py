"""Shopify Admin schema files, shipped as package data (see README.md here)."""
