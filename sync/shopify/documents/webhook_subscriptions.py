"""Registering and removing the channel's webhook subscriptions (channelUpdate `webhooks`).

`callbackUrl` rather than `uri` (added after 2025-01), so these also run on older versions."""

from sync.shopify.documents.fragments import parse_document

WEBHOOK_SUBSCRIPTION_CREATE_MUTATION = parse_document(
    """
mutation SigmaWebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $callbackUrl: URL!) {
  webhookSubscriptionCreate(
    topic: $topic, webhookSubscription: {callbackUrl: $callbackUrl, format: JSON}
  ) {
    webhookSubscription { id topic }
    userErrors { field message }
  }
}
"""
)

WEBHOOK_SUBSCRIPTION_DELETE_MUTATION = parse_document(
    """
mutation SigmaWebhookSubscriptionDelete($id: ID!) {
  webhookSubscriptionDelete(id: $id) {
    deletedWebhookSubscriptionId
    userErrors { field message }
  }
}
"""
)
