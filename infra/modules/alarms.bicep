// Alarms deployed with the app (docs/deploy.md#on-call): an action group that emails ops, an availability test on
// /api/health from three regions, and alert rules on it and on failed function executions. Clinical and ingestion
// problems reach ops as ops alert emails from the pipeline itself (ingest.*, delivery.failed); these rules cover the
// case where the pipeline cannot say anything.
param location string
param name string
param tags object
@description('Ops addresses (comma or semicolon separated).')
param emailOps string
param appInsightsId string
@description('Host name of the function app, e.g. func-….azurewebsites.net.')
param appHostName string
@description('Minutes without a file from a lab before ops are told (default 26 h: a daily feed with slack).')
param feedSilenceMinutes int = 1560

var opsAddresses = filter(map(split(replace(emailOps, ';', ','), ','), a => trim(a)), a => !empty(a))

resource opsGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${name}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'cartlab-ops'
    enabled: true
    emailReceivers: [for (address, i) in opsAddresses: {
      name: 'ops-${i}'
      emailAddress: address
      useCommonAlertSchema: true
    }]
  }
}

resource healthTest 'Microsoft.Insights/webtests@2022-06-15' = {
  name: 'health-${name}'
  location: location
  tags: union(tags, { 'hidden-link:${appInsightsId}': 'Resource' })
  kind: 'standard'
  properties: {
    SyntheticMonitorId: 'health-${name}'
    Name: 'cartlab /api/health'
    Enabled: true
    Frequency: 300
    Timeout: 30
    Kind: 'standard'
    RetryEnabled: true
    Locations: [
      { Id: 'emea-nl-ams-azr' }
      { Id: 'emea-gb-db3-azr' }
      { Id: 'emea-fr-pra-edge' }
    ]
    Request: {
      RequestUrl: 'https://${appHostName}/api/health'
      HttpVerb: 'GET'
      ParseDependentRequests: false
    }
    ValidationRules: {
      ExpectedHttpStatusCode: 200
      SSLCheck: true
      SSLCertRemainingLifetimeCheck: 14
    }
  }
}

resource healthAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-${name}-health'
  location: 'global'
  tags: tags
  properties: {
    description: 'cartlab /api/health failed from 2 of 3 locations: storage unreachable or the app is down. See docs/deploy.md#on-call.'
    severity: 1
    enabled: true
    scopes: [healthTest.id, appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria'
      webTestId: healthTest.id
      componentId: appInsightsId
      failedLocationCount: 2
    }
    actions: [{ actionGroupId: opsGroup.id }]
  }
}

resource failuresAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-${name}-function-failures'
  location: 'global'
  tags: tags
  properties: {
    description: 'Function executions failed in the last 15 minutes (a trigger throws: the platform retries, then poison). See docs/deploy.md#on-call.'
    severity: 2
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'failed-requests'
          metricNamespace: 'microsoft.insights/components'
          metricName: 'requests/failed'
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Count'
        }
      ]
    }
    actions: [{ actionGroupId: opsGroup.id }]
  }
}

// The app's own gauges (PipelineGauges, published every 5 minutes by the PublishPipelineGauges timer): one log alert each.
var gaugeAlerts = [
  {
    key: 'poison'
    severity: 2
    description: 'Messages in a poison queue: a message that can never be processed. cartlab status / GET /api/status shows the newest reason.'
    query: 'customMetrics | where name == "cartlab.poison.depth" | summarize depth = max(value) by queue = tostring(customDimensions["queue"]) | where depth > 0'
  }
  {
    key: 'queue-age'
    severity: 2
    description: 'A trigger queue holds a message older than 15 minutes: the triggers are not keeping up or not running.'
    query: 'customMetrics | where name == "cartlab.queue.oldest_age" | summarize age = max(value) by queue = tostring(customDimensions["queue"]) | where age > 900'
  }
  {
    key: 'delivery-failed'
    severity: 2
    description: 'Alerts with a delivery that failed for good (email or Service Bus). Fix the channel, then cartlab redeliver <alertId>.'
    query: 'customMetrics | where name == "cartlab.deliveries.failed" | summarize failed = max(value) | where failed > 0'
  }
  {
    key: 'stuck-files'
    severity: 3
    description: 'Lab files in processing longer than the processing lease.'
    query: 'customMetrics | where name == "cartlab.files.stuck" | summarize stuck = max(value) | where stuck > 0'
  }
  {
    key: 'feed-silent'
    severity: 2
    description: 'A lab has sent no file for longer than expected: is its interface down?'
    query: 'customMetrics | where name == "cartlab.lab.since_last_file" | summarize minutes = min(value) by lab = tostring(customDimensions["lab"]) | where minutes > ${feedSilenceMinutes}'
  }
]

resource gaugeRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for rule in gaugeAlerts: {
  name: 'alert-${name}-${rule.key}'
  location: location
  tags: tags
  properties: {
    description: '${rule.description} See docs/deploy.md#on-call.'
    severity: rule.severity
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: rule.query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [opsGroup.id] }
  }
}]

// Silence of the gauges themselves: the timers are not running (app stopped, storage unreachable at start-up).
resource gaugesSilent 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${name}-gauges-silent'
  location: location
  tags: tags
  properties: {
    description: 'No pipeline gauges for 30 minutes: the app\'s timers are not running. See docs/deploy.md#on-call.'
    severity: 1
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT30M'
    criteria: {
      allOf: [
        {
          query: 'customMetrics | where name == "cartlab.queue.depth"'
          timeAggregation: 'Count'
          operator: 'LessThan'
          threshold: 1
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [opsGroup.id] }
  }
}

output actionGroupId string = opsGroup.id
