#!/usr/bin/env bash
# gradeguard on Google Cloud: the image, the runner's identity and roles, the Cloud Run jobs, their Cloud Scheduler
# triggers, and the Dataform repository + release configuration. Read docs/operations.md ("Deploying to Google Cloud")
# first; run the sections one by one, checking each. Nothing here was run from this repository's CI: no cloud account.
set -euo pipefail

# DRY_RUN=1 prints every gcloud, bq and curl command, one JSON array of its arguments a line, instead of running it: a
# check of the script itself (variables, quoting, order) that sends nothing anywhere (test/deploy/gcloud-setup.test.ts).
if [[ ${DRY_RUN:-0} == 1 ]]; then
  for tool in gcloud bq curl; do
    eval "$tool() { node -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- $tool \"\$@\"; }"
  done
fi

PROJECT=${PROJECT:?set PROJECT}            # e.g. nba-grading-prod
REGION=${REGION:-us-central1}              # Cloud Run, Scheduler, Artifact Registry and Dataform
BQ_LOCATION=${BQ_LOCATION:-US}             # the datasets' location
DATASET=nba_predictions                    # dataform.json defaultSchema
TAG=${TAG:-$(git rev-parse --short HEAD)}
IMAGE="$REGION-docker.pkg.dev/$PROJECT/gradeguard/gradeguard:$TAG"
RUNNER="gradeguard-runner@$PROJECT.iam.gserviceaccount.com"          # the commands' identity
SCHEDULER="gradeguard-scheduler@$PROJECT.iam.gserviceaccount.com"    # starts the jobs
WORKFLOWS="gradeguard-dataform@$PROJECT.iam.gserviceaccount.com"     # runs Dataform workflow invocations
REPOSITORY="projects/$PROJECT/locations/$REGION/repositories/gradeguard"

## 1. APIs, the image
gcloud services enable run.googleapis.com cloudscheduler.googleapis.com artifactregistry.googleapis.com \
  cloudbuild.googleapis.com bigquery.googleapis.com firestore.googleapis.com dataform.googleapis.com --project "$PROJECT"
gcloud artifacts repositories create gradeguard --repository-format=docker --location="$REGION" --project "$PROJECT" || true
gcloud builds submit --tag "$IMAGE" --project "$PROJECT" .

## 2. Identities and roles (docs/operations.md has the table per command)
for sa in gradeguard-runner gradeguard-scheduler gradeguard-dataform; do
  gcloud iam service-accounts create "$sa" --project "$PROJECT" || true
done
for role in roles/bigquery.jobUser roles/datastore.user; do
  gcloud projects add-iam-policy-binding "$PROJECT" --member="serviceAccount:$RUNNER" --role="$role" --condition=None
done
# Data Editor at project level: the runner creates one assertion dataset per date (<assertionSchema>_dYYYYMMDD).
gcloud projects add-iam-policy-binding "$PROJECT" --member="serviceAccount:$RUNNER" --role=roles/bigquery.dataEditor --condition=None
# cleanup resume drops a table snapshot it made: bigquery.tables.deleteSnapshot is in Data Owner, not Data Editor.
# Grant it on the pipeline dataset only, and only to the identity that runs the cleanup.
bq add-iam-policy-binding --member="serviceAccount:$RUNNER" --role=roles/bigquery.dataOwner "$PROJECT:$DATASET"
# The Dataform workflows' own identity: what the invocations run as.
for role in roles/bigquery.jobUser roles/bigquery.dataEditor; do
  gcloud projects add-iam-policy-binding "$PROJECT" --member="serviceAccount:$WORKFLOWS" --role="$role" --condition=None
done

## 3. The Dataform repository, connected to the branch that holds only the Dataform project
# The branch: node --import tsx deploy/export-dataform-project.ts <dir>, commit <dir> to the branch `dataform-release`
# of your git remote (package.json there lists only @dataform/core). The remote's token is a Secret Manager secret.
TOKEN=$(gcloud auth print-access-token)
curl -fsS -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  "https://dataform.googleapis.com/v1/projects/$PROJECT/locations/$REGION/repositories?repositoryId=gradeguard" \
  -d "{\"serviceAccount\": \"$WORKFLOWS\",
       \"gitRemoteSettings\": {\"url\": \"${GIT_REMOTE:?set GIT_REMOTE}\", \"defaultBranch\": \"dataform-release\",
                               \"authenticationTokenSecretVersion\": \"${GIT_TOKEN_SECRET:?set GIT_TOKEN_SECRET (projects/P/secrets/S/versions/V)}\"}}"
# The release configuration: the branch and the production project. No cronSchedule: a scheduled release compiles with
# static vars, and this project refuses to compile without a run's dates (includes/run_vars.js).
curl -fsS -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  "https://dataform.googleapis.com/v1/$REPOSITORY/releaseConfigs?releaseConfigId=production" \
  -d "{\"gitCommitish\": \"dataform-release\", \"codeCompilationConfig\": {\"defaultDatabase\": \"$PROJECT\", \"defaultLocation\": \"$BQ_LOCATION\"}}"
# The runner creates compilation results and workflow invocations in the repository, acting as the workflows' identity.
curl -fsS -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  "https://dataform.googleapis.com/v1/$REPOSITORY:setIamPolicy" \
  -d "{\"policy\": {\"bindings\": [{\"role\": \"roles/dataform.editor\", \"members\": [\"serviceAccount:$RUNNER\"]}]}}"
gcloud iam service-accounts add-iam-policy-binding "$WORKFLOWS" --member="serviceAccount:$RUNNER" --role=roles/iam.serviceAccountUser --project "$PROJECT"

## 4. Cloud Run jobs (one image, one job per command)
COMMON=(--image="$IMAGE" --region="$REGION" --project="$PROJECT" --service-account="$RUNNER" --max-retries=0 --task-timeout=2h
        --set-env-vars="GOOGLE_CLOUD_PROJECT=$PROJECT,BIGQUERY_LOCATION=$BQ_LOCATION,GRADEGUARD_DATAFORM_REPOSITORY=$REPOSITORY")
gcloud run jobs create gradeguard-grade "${COMMON[@]}" \
  --args=grade,--yesterday,--if-locked,skip,--target,bigquery,--executor,dataform-api,--dataform-release-config,production
# Consolidation runs per game date when the prediction workers finish: they execute it with the date, e.g.
#   gcloud run jobs execute gradeguard-consolidate --region=$REGION --args=consolidate,--date,2026-01-17,...
gcloud run jobs create gradeguard-consolidate "${COMMON[@]}" \
  --args=consolidate,--yesterday,--if-locked,wait,--target,bigquery,--executor,dataform-api,--dataform-release-config,production
gcloud run jobs create gradeguard-check "${COMMON[@]}" --args=check,--days,7,--target,bigquery
gcloud run jobs create gradeguard-monitor "${COMMON[@]}" --args=monitor,--target,bigquery

## 5. Cloud Scheduler -> Cloud Run jobs (the scheduler's identity needs run.invoker on each job)
schedule() { # job, cron
  gcloud run jobs add-iam-policy-binding "$1" --region="$REGION" --project="$PROJECT" --member="serviceAccount:$SCHEDULER" --role=roles/run.invoker
  gcloud scheduler jobs create http "$1-trigger" --location="$REGION" --project="$PROJECT" --schedule="$2" --time-zone=UTC \
    --uri="https://run.googleapis.com/v2/projects/$PROJECT/locations/$REGION/jobs/$1:run" --http-method=POST \
    --oauth-service-account-email="$SCHEDULER"
}
schedule gradeguard-grade "30 6 * * *"
schedule gradeguard-check "0 8 * * *"
schedule gradeguard-monitor "*/5 * * * *"
