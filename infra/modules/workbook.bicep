// The pipeline's health at a glance (docs/deploy.md#on-call): the gauges the app publishes
// (PublishPipelineGauges, every 5 minutes) drawn over time, beside failed executions. Opens from the Application Insights resource,
// Workbooks, "CarTLabPipeline health".
param location string
param name string
param tags object
param appInsightsId string

var gauge = 'customMetrics | where timestamp {TimeRange}'
var items = [
  {
    type: 1
    name: 'intro'
    content: {
      json: '## CarTLabPipeline health\nQueue and poison depths, the age of the oldest message, failed deliveries, stuck files and minutes since each lab\'s last file, as published by the app every 5 minutes. What each means and the command that fixes it: docs/deploy.md, "On call".'
    }
  }
  {
    type: 9
    name: 'parameters'
    content: {
      version: 'KqlParameterItem/1.0'
      parameters: [
        {
          name: 'TimeRange'
          type: 4
          isRequired: true
          value: { durationMs: 86400000 }
          typeSettings: { selectableValues: [ { durationMs: 3600000 }, { durationMs: 86400000 }, { durationMs: 604800000 } ] }
        }
      ]
    }
  }
  {
    type: 3
    name: 'queues'
    content: {
      version: 'KqlItem/1.0'
      title: 'Trigger queue depth (messages)'
      query: '${gauge} | where name == "cartlab.queue.depth" | summarize depth = max(value) by bin(timestamp, 5m), queue = tostring(customDimensions["queue"])'
      queryType: 0
      resourceType: 'microsoft.insights/components'
      visualization: 'timechart'
      size: 0
    }
  }
  {
    type: 3
    name: 'oldest'
    content: {
      version: 'KqlItem/1.0'
      title: 'Oldest message age (seconds; the alarm fires above 900)'
      query: '${gauge} | where name == "cartlab.queue.oldest_age" | summarize age = max(value) by bin(timestamp, 5m), queue = tostring(customDimensions["queue"])'
      queryType: 0
      resourceType: 'microsoft.insights/components'
      visualization: 'timechart'
      size: 0
    }
  }
  {
    type: 3
    name: 'poison'
    content: {
      version: 'KqlItem/1.0'
      title: 'Poison queues (should be 0: \'cartlab status\' shows the newest reason)'
      query: '${gauge} | where name == "cartlab.poison.depth" | summarize depth = max(value) by bin(timestamp, 5m), queue = tostring(customDimensions["queue"])'
      queryType: 0
      resourceType: 'microsoft.insights/components'
      visualization: 'timechart'
      size: 0
    }
  }
  {
    type: 3
    name: 'deliveries'
    content: {
      version: 'KqlItem/1.0'
      title: 'Alerts with a failed delivery, files stuck in processing'
      query: '${gauge} | where name in ("cartlab.deliveries.failed", "cartlab.files.stuck") | summarize value = max(value) by bin(timestamp, 5m), name'
      queryType: 0
      resourceType: 'microsoft.insights/components'
      visualization: 'timechart'
      size: 0
    }
  }
  {
    type: 3
    name: 'labs'
    content: {
      version: 'KqlItem/1.0'
      title: 'Minutes since each lab\'s last file (now)'
      query: 'customMetrics | where timestamp > ago(15m) | where name == "cartlab.lab.since_last_file" | summarize minutes = round(min(value)) by lab = tostring(customDimensions["lab"]) | order by minutes desc'
      queryType: 0
      resourceType: 'microsoft.insights/components'
      visualization: 'table'
      size: 0
    }
  }
  {
    type: 3
    name: 'failures'
    content: {
      version: 'KqlItem/1.0'
      title: 'Function executions: failed vs succeeded'
      query: 'requests | where timestamp {TimeRange} | summarize count() by bin(timestamp, 15m), result = iff(success, "succeeded", "failed")'
      queryType: 0
      resourceType: 'microsoft.insights/components'
      visualization: 'timechart'
      size: 0
    }
  }
]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, name, 'pipeline-health')
  location: location
  tags: union(tags, { 'hidden-title': 'CarTLabPipeline health (${name})' })
  kind: 'shared'
  properties: {
    displayName: 'CarTLabPipeline health (${name})'
    category: 'workbook'
    sourceId: appInsightsId
    serializedData: string({
      version: 'Notebook/1.0'
      items: items
      isLocked: false
      fallbackResourceIds: [ appInsightsId ]
    })
  }
}

output id string = workbook.id
