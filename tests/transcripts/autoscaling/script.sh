# An autoscaler driving replicas while a new version rolls out. metrics-server is installed
# from its release; demoapp's CPU grows with the requests it serves (a load pod's wget loop),
# the HPA scales the Deployment up at most 4 pods or 100% per 15 s, and a rollout started
# meanwhile is scaled proportionally. When the load stops, the 300 s stabilization window
# holds the replicas before they come down.
kubectl top pods
kubectl apply -f web.yaml
kubectl autoscale deployment demoapp --min=2 --max=8 --cpu-percent=50 --dry-run=client -o yaml
kubectl autoscale deployment demoapp --min=2 --max=8 --cpu-percent=50
kubectl autoscale deployment demoapp --max=3
kubectl get hpa
kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml
kubectl top pods
sleep 30
kubectl top pods
sleep 15
kubectl top pods
kubectl top nodes
kubectl top pods -A --sort-by=memory
kubectl get hpa
kubectl run load --image=busybox:1.36 -- /bin/sh -c "while true; do wget -q -O- http://demoapp-svc >/dev/null; sleep 0.05; done"
sleep 30
kubectl top pods -l app=demoapp --sort-by=cpu
kubectl get hpa
kubectl set image deployment/demoapp demoapp=ikubernetes/demoapp:v1.1
sleep 15
kubectl get hpa
kubectl get rs
sleep 15
kubectl get hpa
kubectl get rs
sleep 30
kubectl get hpa
kubectl get rs
sleep 60
kubectl get hpa
kubectl get rs
kubectl top pods --containers --no-headers
kubectl describe hpa demoapp
kubectl delete pod load
sleep 120
kubectl get hpa
sleep 300
kubectl get hpa
kubectl get hpa demoapp -o yaml
kubectl get events --field-selector involvedObject.kind=HorizontalPodAutoscaler
