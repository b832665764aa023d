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

output actionGroupId string = opsGroup.id
